// Can the router open ports for us? NAT-PMP, PCP and UPnP IGD, all at once in one short window
// (Tailscale uses 250 ms): on a network where nothing answers, this costs a quarter second,
// and it runs alongside the STUN tests.
import type { PortMappingResult } from '../report/types';
import type { Uplink } from '../netinfo/uplink';
import { probeNatPmp, type NatPmpResult } from './natPmp';
import { abortableDelay } from '../net/abortableDelay';
import { probePcp, type PcpResult } from './pcp';
import { probeUpnp, type UpnpResult } from './upnpIgd';

export const PORT_MAPPING_WINDOW_MS = 250;
/** How long PCP waits to learn whether the shared port refused NAT-PMP. */
const PCP_AFTER_NAT_PMP_MS = 20;

const UPNP_HTTP_TIMEOUT_MS = 1000;

/** What the protocols said, in full: the CGNAT verdict reads result codes the report only names. */
export interface PortMappingProbe {
  natPmp: NatPmpResult;
  pcp: PcpResult;
  upnp: UpnpResult;
  skipped?: string;
}

export async function probePortMapping(uplink: Uplink, signal: AbortSignal): Promise<PortMappingProbe> {
  const skip = (why: string): PortMappingProbe => ({
    natPmp: { answered: false, error: why },
    pcp: { answered: false, error: why },
    upnp: { answered: false, error: why },
    skipped: why,
  });
  if (uplink.overlay) return skip(`the default route goes through ${uplink.interface ?? 'a VPN'}, not a home router`);
  if (!uplink.gateway) return skip('no default gateway was found');
  const gateway = uplink.gateway;
  const started = performance.now();
  const natPmp = probeNatPmp(gateway, PORT_MAPPING_WINDOW_MS, signal);
  const [natPmpResult, pcp, upnp] = await Promise.all([
    natPmp,
    (async (): Promise<PcpResult> => {
      // PCP listens on NAT-PMP's port (RFC 6887 §19.1): when the port refuses NAT-PMP, one ICMP
      // "port unreachable" has said so for both, and the router's rate-limited ICMP is left for the
      // traceroutes. A refusal comes within a LAN round trip; PCP waits that long at most.
      const early = await Promise.race([natPmp, abortableDelay(PCP_AFTER_NAT_PMP_MS, signal).then(() => undefined)]);
      if (early?.refused) return { answered: false, error: 'no PCP service on the gateway (port closed)' };
      const left = Math.max(0, PORT_MAPPING_WINDOW_MS - (performance.now() - started));
      return probePcp(gateway, uplink.address ?? '0.0.0.0', left, signal);
    })(),
    probeUpnp(gateway, PORT_MAPPING_WINDOW_MS, UPNP_HTTP_TIMEOUT_MS, signal),
  ]);
  return { natPmp: natPmpResult, pcp, upnp };
}

/** The report's view: available means the protocol works for mapping ports from here. */
export function summarizePortMapping(probe: PortMappingProbe): PortMappingResult {
  const natPmp: PortMappingResult['natPmp'] = { available: probe.natPmp.resultCode === 0 };
  if (probe.natPmp.externalAddress) natPmp.externalAddress = probe.natPmp.externalAddress;
  if (probe.natPmp.error) natPmp.error = probe.natPmp.error;

  const pcp: PortMappingResult['pcp'] = { available: probe.pcp.resultCode === 0 };
  if (probe.pcp.error) pcp.error = probe.pcp.error;

  // UPnP is available when its WAN service answered SOAP, even with an empty address (a router
  // behind another NAT): it can still map ports on itself; the CGNAT verdict reads the rest.
  const upnp: PortMappingResult['upnp'] = {
    available: probe.upnp.answered && (probe.upnp.externalAddress !== undefined || probe.upnp.connectionStatus !== undefined),
  };
  if (probe.upnp.externalAddress) upnp.externalAddress = probe.upnp.externalAddress;
  if (probe.upnp.error) upnp.error = probe.upnp.error;
  return { upnp, natPmp, pcp };
}

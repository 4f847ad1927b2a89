// Can the router open ports for us? NAT-PMP, PCP and UPnP IGD, all at once in one short window
// (Tailscale uses 250 ms): on a network where nothing answers, this costs a quarter second,
// and it runs alongside the STUN tests.
import type { PortMappingResult } from '../report/types';
import type { Uplink } from '../netinfo/uplink';
import { probeNatPmp, type NatPmpResult } from './natPmp';
import { probePcp, type PcpResult } from './pcp';
import { probeUpnp, type UpnpResult } from './upnpIgd';

export const PORT_MAPPING_WINDOW_MS = 250;
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
  const [natPmp, pcp, upnp] = await Promise.all([
    probeNatPmp(gateway, PORT_MAPPING_WINDOW_MS, signal),
    probePcp(gateway, uplink.address ?? '0.0.0.0', PORT_MAPPING_WINDOW_MS, signal),
    probeUpnp(gateway, PORT_MAPPING_WINDOW_MS, UPNP_HTTP_TIMEOUT_MS, signal),
  ]);
  return { natPmp, pcp, upnp };
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

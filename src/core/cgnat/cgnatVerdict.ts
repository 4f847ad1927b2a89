// Is this network behind carrier-grade NAT? Several independent signals, each with its evidence,
// weighed together (as NAT Revelio and cgnat-inspector do; RFC 6598 is the shared range). A private local
// address alone means nothing — nearly every home has one — and the verdict never rests on one
// weak signal: "yes" needs a direct signal (the router itself reports a carrier-grade address) or
// two independent ones.
import { addressKind } from '../net/addressRanges';
import type { CgnatEvidence, CgnatResult, MappingBehavior } from '../report/types';
import type { UplinkRoute } from '../netinfo/uplink';
import type { PortMappingProbe } from '../portmap/portMapping';
import { PCP_ADDRESS_MISMATCH } from '../portmap/pcp';
import type { TracePath } from './tracePath';

export interface CgnatSignals {
  uplink: UplinkRoute;
  /** Our public IPv4 as STUN servers saw it. */
  publicAddress: string | null;
  mapping: MappingBehavior;
  portMapping: PortMappingProbe | null;
  /** Hops towards a STUN server. */
  pathToServer: TracePath | null;
  /** Hops towards our own public address: the NAT that owns it answers as the last hop. */
  pathToPublic: TracePath | null;
}

/** Weights: ≥ 0.6 is direct evidence on its own; below, it needs corroboration. */
const DIRECT = 0.6;

export function cgnatVerdict(s: CgnatSignals): CgnatResult {
  const evidence: CgnatEvidence[] = [];
  const add = (signal: string, value: string, meaning: string, weight: number): void => {
    evidence.push({ signal, value, meaning, weight });
  };

  if (s.uplink.overlay) {
    add(
      'default-route-interface',
      s.uplink.interface ?? 'unknown',
      'The default route goes through a VPN or tunnel: these results describe the tunnel’s exit, not your local network.',
      0,
    );
  }

  // 1. Our own address and gateway (never an overlay's: Tailscale lives in 100.64.0.0/10 too).
  const local = s.uplink.address;
  if (local && !s.uplink.overlay) {
    const kind = addressKind(local);
    if (s.publicAddress && local === s.publicAddress) {
      add('local-address', local, 'This machine holds the public address itself: there is no NAT at all.', -1);
    } else if (kind === 'cgnat') {
      add('local-address', local, 'This machine has a carrier-grade (RFC 6598, 100.64.0.0/10) address: the ISP’s NAT is the first NAT.', 0.45);
    }
  }
  if (s.uplink.gateway && !s.uplink.overlay && addressKind(s.uplink.gateway) === 'cgnat') {
    add('gateway-address', s.uplink.gateway, 'Your gateway has a carrier-grade (RFC 6598) address: it belongs to the ISP’s NAT.', 0.3);
  }

  // 2. What the router says about its own WAN side.
  const pm = s.portMapping;
  const routerWan = pm?.natPmp.externalAddress || pm?.upnp.externalAddress || null;
  if (routerWan) {
    const kind = addressKind(routerWan);
    if (kind === 'cgnat') {
      add('router-wan-address', routerWan, 'Your router’s internet side has a carrier-grade (RFC 6598) address: your ISP uses CGNAT.', 0.8);
    } else if (kind === 'private') {
      add('router-wan-address', routerWan, 'Your router’s internet side has a private address: another NAT (an ISP modem or CGNAT) sits beyond it.', 0.45);
    } else if (s.publicAddress && routerWan === s.publicAddress) {
      add('router-wan-address', routerWan, 'Your router holds your public address: no NAT beyond it.', -0.9);
    } else if (s.publicAddress) {
      add(
        'router-wan-address',
        routerWan,
        `Your router’s public address differs from the one the internet sees (${s.publicAddress}): another NAT sits beyond the router.`,
        0.5,
      );
    }
  }
  const pmpNoPublic = pm?.natPmp.resultCode === 3;
  const upnpEmpty = pm?.upnp.answered === true && pm.upnp.externalAddress === '';
  // Seeing our public address answer from the first hop outranks the router's silence: routers
  // such as miniupnpd refuse to report any reserved or special-purpose WAN address.
  const routerHoldsPublic =
    s.publicAddress !== null && s.pathToPublic?.hops.find((h) => h.address === s.publicAddress)?.ttl === 1;
  if (pmpNoPublic || upnpEmpty) {
    add(
      'router-reports-no-public-address',
      [pmpNoPublic ? 'NAT-PMP result 3 (network failure)' : null, upnpEmpty ? `UPnP external address empty${pm?.upnp.connectionStatus ? ` while ${pm.upnp.connectionStatus}` : ''}` : null]
        .filter(Boolean)
        .join('; '),
      routerHoldsPublic
        ? 'Your router reports no public address, yet it answers for your public address itself: its WAN address is one it refuses to report (a reserved range), not another NAT.'
        : 'Your router speaks a port-mapping protocol but has no public address to report: its internet side is behind another NAT.',
      routerHoldsPublic ? 0 : 0.45,
    );
  }
  if (pm?.pcp.resultCode === PCP_ADDRESS_MISMATCH) {
    add('pcp-address-mismatch', 'PCP result 12', 'A NAT sits between this machine and the router (a VM, a second router): the router cannot map ports for you.', 0);
  }

  // 3. The path: carrier-grade or private hops after our gateway, and how far our public address is.
  const afterGateway = (s.pathToServer?.hops ?? []).filter((h) => h.ttl >= 2 && h.address && h.address !== s.uplink.gateway);
  const carrierHop = afterGateway.find((h) => addressKind(h.address as string) === 'cgnat');
  const privateHop = afterGateway.find((h) => addressKind(h.address as string) === 'private');
  if (carrierHop) {
    add('path-hop', `hop ${carrierHop.ttl}: ${carrierHop.address}`, 'A router beyond your gateway uses carrier-grade (RFC 6598) addresses: typical of an ISP’s CGNAT.', 0.4);
  } else if (privateHop) {
    add('path-hop', `hop ${privateHop.ttl}: ${privateHop.address}`, 'A router beyond your gateway uses private addresses: another NAT, or just the ISP’s internal network.', 0.2);
  } else if (afterGateway.length > 0 && afterGateway.every((h) => addressKind(h.address as string) === 'public')) {
    // Only the router right after the gateway speaks for the carrier's edge: when it stayed silent
    // (routers rate-limit ICMP, a CGNAT box often answers nothing), a public hop further on says
    // nothing about it.
    const first = afterGateway[0] as { ttl: number; address: string };
    if (first.ttl === 2) add('path-hop', `hop ${first.ttl}: ${first.address}`, 'The first router beyond your gateway has a public address.', -0.35);
  }
  if (s.pathToPublic && s.publicAddress && s.mapping !== 'none') {
    const reached = s.pathToPublic.hops.find((h) => h.address === s.publicAddress);
    if (reached && reached.ttl === 1) {
      add('hops-to-public-address', '1', 'Your public address answers from the first hop: your own router holds it.', -0.6);
    } else if (reached && reached.ttl >= 2) {
      add(
        'hops-to-public-address',
        String(reached.ttl),
        `Your public address is ${reached.ttl} hops away: the NAT that holds it is beyond your router (double NAT or CGNAT).`,
        0.35,
      );
    }
  }

  // 4. Supporting only: a STUN-seen address that is not public means the server is inside a
  // carrier or VPN network; random-port mapping is common on CGNAT but also on many firewalls.
  if (s.publicAddress && addressKind(s.publicAddress) !== 'public') {
    add('stun-public-address', s.publicAddress, 'The STUN server saw a non-public address: it sits inside your carrier’s or VPN’s network.', 0.2);
  }

  return weigh(evidence);
}

function weigh(evidence: CgnatEvidence[]): CgnatResult {
  const positive = evidence.filter((e) => (e.weight ?? 0) > 0);
  const negative = evidence.filter((e) => (e.weight ?? 0) < 0);
  const up = positive.reduce((sum, e) => sum + (e.weight ?? 0), 0);
  const down = -negative.reduce((sum, e) => sum + (e.weight ?? 0), 0);
  const strongest = Math.max(0, ...positive.map((e) => e.weight ?? 0));
  const round = (x: number): number => Math.round(Math.min(0.99, Math.max(0, x)) * 100) / 100;

  const corroborated = strongest >= DIRECT || (positive.length >= 2 && up >= 0.6);
  if (corroborated && up > down) return { verdict: 'yes', confidence: round(0.5 + (up - down) / 2), evidence };
  if (down >= 0.35 && up < 0.3) return { verdict: 'no', confidence: round(0.4 + (down - up) / 2), evidence };
  return { verdict: 'unknown', confidence: round(Math.abs(up - down) / 4), evidence };
}

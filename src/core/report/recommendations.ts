// Plain-language advice from what was measured. Ids are stable (people and tests refer to them);
// messages may be improved freely.
import { IPV6_MINIMUM_MTU, idleLifetimeWords, keepaliveAdvice, keepaliveBasisWords, measuredFromReport, mtuAdvice, type MeasuredNat } from '../advice/tunnelAdvice';
import { p2pDifficulty } from './explain';
import type { Recommendation, Report } from './types';

/** What the Report's fields do not carry, worked out where the measurements were assembled. */
export interface RecommendationInputs {
  /** Of the TURN servers probed, the one to use as the relay (`fastestTurnServer` in the probe engine). */
  fastestTurnServer?: { target: string; rttMs: number };
}

export function recommend(report: Report, inputs: RecommendationInputs = {}): Recommendation[] {
  const out: Recommendation[] = [];
  const { nat } = report;
  const anyResolved = report.servers.some((s) => s.address !== '');
  const connectivity = report.connectivity;

  if (connectivity?.captivePortal) {
    out.push({
      id: 'captive-portal',
      severity: 'error',
      message:
        'This network holds web traffic at a login page (a captive portal): open any http:// page in a browser and log in or accept the terms first — until then VPNs and P2P apps cannot connect, and the other results describe the portal, not the network.',
    });
  }
  if (connectivity?.dns === 'failed' && connectivity.state !== 'offline') {
    out.push({
      id: 'dns-failed',
      severity: 'warning',
      message: 'STUN server names did not resolve, but servers given by address answered: DNS is broken on this network. Check the DNS servers (router, DHCP, /etc/resolv.conf); a VPN that names its server will not connect until it resolves.',
    });
  }

  if (nat.udp === 'blocked') {
    const offline = connectivity ? connectivity.state === 'offline' : !anyResolved || nat.type === 'unknown';
    if (offline) {
      out.push({
        id: 'no-network',
        severity: 'error',
        message:
          'This machine looks offline: nothing answered (no STUN server, no TCP connection to one, no name lookup): check that this machine is online (Wi-Fi, cable, VPN), then run the diagnosis again.',
      });
    } else {
      out.push({
        id: 'udp-blocked',
        severity: 'error',
        message:
          'UDP is blocked on this network (TCP gets through): WireGuard, IPsec/IKE and OpenVPN over UDP will not connect. What works without UDP: OpenVPN over TCP on port 443 (`proto tcp-client`, `remote HOST 443`), TLS-based VPNs (OpenConnect/AnyConnect, SSTP), and for P2P apps a TURN relay over TCP or TLS on port 443. Or ask the network owner to allow outgoing UDP.',
      });
    }
    return out;
  }

  const difficulty = p2pDifficulty(nat);
  if (difficulty === 'hard') {
    out.push({
      id: 'p2p-relay-needed',
      severity: 'warning',
      message:
        'Direct peer-to-peer connections will usually fail: your NAT picks a new public port for every destination. P2P will need a relay (TURN, DERP). If you control the router, enable UPnP or NAT-PMP, or static-port outbound NAT (pfSense/OPNsense); IPv6 avoids the NAT entirely.',
    });
  } else if (difficulty === 'moderate') {
    out.push({
      id: 'p2p-moderate',
      severity: 'info',
      message:
        nat.type === 'symmetric-udp-firewall'
          ? 'Outgoing connections work; a firewall drops unsolicited UDP, so peers can reach you only after you send to them first, or with a firewall rule for your VPN port.'
          : 'Peer-to-peer works when both sides send first (hole punching); against another port-restricted or symmetric NAT it may need a relay.',
    });
  } else if (difficulty === 'easy') {
    out.push({ id: 'p2p-easy', severity: 'info', message: 'Direct peer-to-peer connections should work from this network.' });
  }

  if (report.uplink?.overlay) {
    out.push({
      id: 'measured-through-vpn',
      severity: 'warning',
      message: `The default route goes through ${report.uplink.interface ?? 'a VPN'}: these results describe the VPN's exit, not your own network. Disconnect it to diagnose the local network.`,
    });
  }

  // Which VPN styles should work from here.
  out.push({
    id: 'vpn-styles',
    severity: 'info',
    message:
      nat.mapping === 'none'
        ? 'WireGuard, IPsec and OpenVPN over UDP should connect; no NAT traversal is needed.'
        : 'WireGuard, IPsec (with NAT-T on UDP 4500) and OpenVPN over UDP should connect outwards; a server behind this NAT needs a port forward.',
  });

  if (report.cgnat.verdict === 'yes') {
    out.push({
      id: 'cgnat-no-port-forwarding',
      severity: 'warning',
      message:
        'Your ISP puts you behind carrier-grade NAT: port forwarding on your router cannot make a server here reachable. Ask the ISP for a public IPv4 address (often free or cheap), use IPv6, or reach in through a relay or a VPS.',
    });
  }

  // The same numbers as the editor's quick fixes: both come from the advice module.
  const measured = measuredFromReport(report);
  if (nat.mapping !== 'none' && nat.mapping !== 'unknown') {
    const advice = keepaliveAdvice(measured);
    const life = advice.lifetimeSec;
    const basis = keepaliveBasisWords(advice);
    out.push({
      id: 'keepalive',
      severity: life !== undefined && life < 60 ? 'warning' : 'info',
      message:
        life !== undefined
          ? `Your NAT ${idleLifetimeWords(life, advice.establishedSec)}: set ${advice.wireguard.line} (WireGuard), ${advice.openvpn.line} (OpenVPN), or a NAT-T keepalive of ${advice.ipsec.natKeepaliveSec} s (IPsec: keep-alive in libreswan, charon.keep_alive in strongSwan).${basis ? ` ${basis}` : ''}`
          : `Your NAT forgets idle UDP mappings; keep tunnels alive: set ${advice.wireguard.line} (WireGuard) or ${advice.openvpn.line} (OpenVPN).`,
    });
  }

  out.push(...mtuRecommendations(report, measured));

  const pm = report.portMapping;
  const anyPortMapping = pm.upnp.available || pm.natPmp.available || pm.pcp.available;
  if (!anyPortMapping && report.cgnat.verdict !== 'yes' && (difficulty === 'hard' || difficulty === 'moderate') && nat.mapping !== 'none') {
    out.push({
      id: 'enable-port-mapping',
      severity: 'info',
      message: 'Your router offers no UPnP, NAT-PMP or PCP: enabling one of them lets P2P apps and VPNs open a port for themselves.',
    });
  }
  if (nat.type === 'symmetric' && nat.portPreservation === false) {
    out.push({
      id: 'static-port-nat',
      severity: 'info',
      message: 'On pfSense or OPNsense, a "static port" outbound NAT rule for your VPN host makes the mapping predictable and P2P possible.',
    });
  }
  if (difficulty === 'hard' || report.cgnat.verdict === 'yes') {
    out.push({ id: 'ipv6-escape-hatch', severity: 'info', message: 'If your network offers IPv6, prefer it for VPN and P2P: there is no NAT on IPv6.' });
  }

  // Several TURN servers: measured RTT beats guessing by geography.
  const fastest = report.probes.filter((p) => p.target.endsWith('/turn')).length >= 2 ? inputs.fastestTurnServer : undefined;
  if (fastest) {
    out.push({
      id: 'fastest-turn-server',
      severity: 'info',
      message: `Of your TURN servers, ${fastest.target.replace(/\/turn$/, '')} answered fastest (${fastest.rttMs} ms): use it as the relay.`,
    });
  }

  if (nat.alg === true) {
    out.push({
      id: 'alg-rewrites-addresses',
      severity: 'warning',
      message:
        'Something on the path (an ALG such as "SIP ALG") rewrites addresses inside packets. It often breaks VPN and VoIP traffic: turn it off on the router.',
    });
  }

  if (nat.filtering === 'unknown' && !report.servers.some((s) => s.rfc5780)) {
    out.push({
      id: 'rfc5780-server-needed',
      severity: 'info',
      message:
        'None of the STUN servers could test filtering (they need two IP addresses, RFC 5780). Add one with --stun (or the natDoctor.stunServers setting) for a complete verdict.',
    });
  }
  return out;
}

/**
 * `mtu-black-hole` and `tunnel-mtu`. The tunnels' defaults fit a 1500-byte path (WireGuard 1420,
 * OpenVPN 2.6 `mssfix 1492 mtu`), so the values are given when the path is smaller or a black hole.
 */
function mtuRecommendations(report: Report, measured: MeasuredNat): Recommendation[] {
  const out: Recommendation[] = [];
  const pm = report.pathMtu;
  if (!pm) return out;
  const advice = mtuAdvice(measured);
  if (pm.blackHole === true) {
    out.push({
      id: 'mtu-black-hole',
      severity: 'warning',
      message: advice
        ? `Packets larger than ${advice.path.bytes} bytes vanish on the way to ${pm.target} and no ICMP "fragmentation needed" comes back (a path-MTU black hole), so through a tunnel big web pages, downloads and SSH sessions hang while small packets pass. Path-MTU discovery cannot work here: set the tunnel's MTU explicitly (see the tunnel MTU advice).`
        : `Large packets vanish on the way to ${pm.target} and no ICMP "fragmentation needed" comes back (a path-MTU black hole), so through a tunnel big web pages and SSH sessions hang: set the tunnel's MTU explicitly, lower than its default (${pm.detail}).`,
    });
  }
  if (advice && (advice.path.bytes < 1500 || advice.path.blackHole === true)) {
    const other = advice.outerFamily === 'IPv4' ? 'IPv6' : 'IPv4';
    const otherMtu = mtuAdvice(measured, other);
    const ipv6 = advice.belowIpv6Minimum
      ? ` These are below ${IPV6_MINIMUM_MTU}, the smallest MTU IPv6 allows: IPv6 inside the tunnel will not work on this path.`
      : '';
    out.push({
      id: 'tunnel-mtu',
      severity: advice.path.blackHole === true ? 'warning' : 'info',
      message: `Packets of up to ${advice.path.bytes} bytes cross the path to ${pm.target} (over ${advice.outerFamily})${advice.path.blackHole === true ? ', larger ones vanish' : ''}. WireGuard: set ${advice.wireguard.line} in [Interface]${otherMtu ? ` (${otherMtu.wireguard.line} if the tunnel runs over ${other})` : ''}. OpenVPN: ${advice.openvpn.mssfixLine} for TCP inside the tunnel, and ${advice.openvpn.tunMtuLine} so that other traffic fits too (14 less with dev tap).${ipv6}`,
    });
  }
  return out;
}

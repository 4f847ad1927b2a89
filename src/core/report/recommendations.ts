// Plain-language advice from what was measured. Ids are stable (people and tests refer to them);
// messages may be improved freely.
import { p2pDifficulty } from './explain';
import type { Recommendation, Report } from './types';

/** WireGuard's documented default for NATed peers; replaced by ⌊lifetime/2⌋ once measured. */
export const DEFAULT_KEEPALIVE_SECONDS = 25;

export function keepaliveSeconds(report: Pick<Report, 'bindingLifetime'>): number {
  const measured = report.bindingLifetime?.seconds;
  return measured ? Math.max(1, Math.min(DEFAULT_KEEPALIVE_SECONDS, Math.floor(measured / 2))) : DEFAULT_KEEPALIVE_SECONDS;
}

export function recommend(report: Report): Recommendation[] {
  const out: Recommendation[] = [];
  const { nat } = report;
  const anyResolved = report.servers.some((s) => s.address !== '');

  if (nat.udp === 'blocked') {
    if (!anyResolved || nat.type === 'unknown') {
      out.push({
        id: 'no-network',
        severity: 'error',
        message: 'No STUN server could be reached at all: check that this machine is online, then run the diagnosis again.',
      });
    } else {
      out.push({
        id: 'udp-blocked',
        severity: 'error',
        message:
          'No UDP answer came back: WireGuard, IPsec and OpenVPN over UDP will not connect from this network. Use a VPN over TCP or TLS on port 443, or ask the network owner to allow outgoing UDP.',
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

  if (nat.mapping !== 'none' && nat.mapping !== 'unknown') {
    const seconds = keepaliveSeconds(report);
    out.push({
      id: 'keepalive',
      severity: 'info',
      message: `Your NAT forgets idle UDP mappings; keep tunnels alive: set PersistentKeepalive = ${seconds} (WireGuard) or keepalive 10 60 (OpenVPN).`,
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

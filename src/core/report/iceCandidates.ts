// The ICE view (RFC 8445 §5.1.1) of what was measured: the candidates a WebRTC or P2P app here
// would offer its peer. Pure: the host addresses come with the uplink (netinfo/uplink.ts), the
// server-reflexive one from STUN, relayed ones from the TURN probes.
import type { Uplink } from '../netinfo/uplink';
import type { IceCandidate, TransportAddress } from './types';

export function iceCandidates(
  uplink: Pick<Uplink, 'address' | 'hostAddresses'>,
  publicAddress: TransportAddress | null,
  relays: IceCandidate[] = [],
): IceCandidate[] {
  const candidates: IceCandidate[] = uplink.hostAddresses.map((h) => ({
    type: 'host',
    address: h.address,
    port: null,
    source: h.overlay ? `${h.interface} (VPN)` : h.interface,
  }));
  // The uplink's address first: it is the one the NAT tests went through.
  candidates.sort((a, b) => Number(b.address === uplink.address) - Number(a.address === uplink.address));
  if (publicAddress && !candidates.some((c) => c.address === publicAddress.address)) {
    candidates.push({ type: 'srflx', address: publicAddress.address, port: publicAddress.port, source: 'STUN' });
  }
  return [...candidates, ...relays];
}

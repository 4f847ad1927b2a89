// The ICE view (RFC 8445 §5.1.1) of what was measured: the candidates a WebRTC or P2P app here
// would offer its peer. Relayed candidates appear once a TURN server is configured and probed.
import { networkInterfaces } from 'node:os';
import { isOverlayInterface, type Uplink } from '../netinfo/uplink';
import type { IceCandidate, TransportAddress } from './types';

export function iceCandidates(uplink: Uplink, publicAddress: TransportAddress | null, relays: IceCandidate[] = []): IceCandidate[] {
  const candidates: IceCandidate[] = [];
  for (const [name, infos] of Object.entries(networkInterfaces())) {
    for (const info of infos ?? []) {
      if (info.internal || info.family !== 'IPv4' || info.address.startsWith('169.254.')) continue;
      candidates.push({ type: 'host', address: info.address, port: null, source: isOverlayInterface(name) ? `${name} (VPN)` : name });
    }
  }
  // The uplink's address first: it is the one the NAT tests went through.
  candidates.sort((a, b) => Number(b.address === uplink.address) - Number(a.address === uplink.address));
  if (publicAddress && !candidates.some((c) => c.address === publicAddress.address)) {
    candidates.push({ type: 'srflx', address: publicAddress.address, port: publicAddress.port, source: 'STUN' });
  }
  return [...candidates, ...relays];
}

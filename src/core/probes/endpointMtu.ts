// `probe HOST:PORT/PROTOCOL --mtu`: the path MTU towards a VPN endpoint, where its protocol answers
// padded requests. STUN and TURN servers answer Binding requests of any size (pathmtu/pathMtu.ts);
// IKE responders would too, but the search needs dozens of IKE_SA_INITs, more than the politeness
// limit allows (ike/ikeRateLimiter.ts), and WireGuard and OpenVPN answer only exact handshakes.
import { isIP } from 'node:net';
import { measurePathMtu } from '../pathmtu/pathMtu';
import type { PathMtu } from '../report/types';
import { resolveHost } from './probe';
import { formatTarget } from './target';
import type { ProbeTarget } from './types';

export async function measureEndpointMtu(target: ProbeTarget, rttMs: number | null, signal: AbortSignal): Promise<PathMtu> {
  const label = formatTarget(target).replace(/\/[^/]*$/, '');
  const none = (detail: string): PathMtu => ({ target: label, bytes: null, blackHole: null, detail });
  if (target.protocol !== 'stun' && target.protocol !== 'turn') {
    return none(`not measurable with ${target.protocol}: it answers only exact handshakes, not padded requests (STUN and TURN servers do)`);
  }
  if (rttMs === null) return none('the server did not answer the probe, so no size could be proven');
  const resolved = await resolveHost(target.host);
  if ('error' in resolved) return none(resolved.error);
  return measurePathMtu({ server: label, address: resolved.address, port: target.port, family: isIP(resolved.address) === 6 ? 'IPv6' : 'IPv4', rttMs, signal });
}

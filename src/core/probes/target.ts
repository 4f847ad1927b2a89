// `HOST:PORT/PROTOCOL` ↔ ProbeTarget, as `nat-doctor probe` and `diagnose --probe` take it (README
// "Quick start"). The host:port part is the one parser of net/endpoint.ts; IPv6 hosts are written in
// brackets: `[2001:db8::1]:500/ike`.
import { isIP } from 'node:net';
import { isParseError, parseHostPort } from '../net/endpoint';
import { PROBE_PROTOCOLS, type ProbeProtocol } from '../report/types';
import { DEFAULT_PROBE_PORTS, type ProbeTarget } from './types';

export { PROBE_PROTOCOLS };

export function isProbeProtocol(value: string): value is ProbeProtocol {
  return (PROBE_PROTOCOLS as readonly string[]).includes(value);
}

/** Parses `HOST:PORT/PROTOCOL` (the protocol in any case); the error says what to change. */
export function parseProbeTarget(text: string): ProbeTarget | { error: string } {
  const m = /^(.*)\/([A-Za-z-]+)$/.exec(text.trim());
  if (!m) return { error: `"${text}" is not HOST:PORT/PROTOCOL (e.g. vpn.example.com:51820/wireguard, [2001:db8::1]:500/ike)` };
  const hostPort = parseHostPort(m[1] as string);
  if (isParseError(hostPort)) return hostPort;
  const protocol = (m[2] as string).toLowerCase();
  if (!isProbeProtocol(protocol)) return { error: `unknown protocol "${protocol}"; use one of ${PROBE_PROTOCOLS.join(', ')}` };
  return { ...hostPort, protocol };
}

export function formatTarget(target: ProbeTarget): string {
  const host = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
  return `${host}:${target.port}/${target.protocol}`;
}

/** The default probe set for a host: UDP 500, 4500, 1194, 51820 and TCP 443. */
export function defaultTargets(host: string): ProbeTarget[] {
  return DEFAULT_PROBE_PORTS.map(({ port, protocol }) => ({ host, port, protocol }));
}

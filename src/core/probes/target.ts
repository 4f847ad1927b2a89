// `HOST:PORT/PROTOCOL` ↔ ProbeTarget (shared/DESIGN.md "CLI"). IPv6 hosts are written in brackets:
// `[2001:db8::1]:500/ike`.
import { isIP } from 'node:net';
import type { ProbeProtocol } from '../report/types';
import { DEFAULT_PROBE_PORTS, type ProbeTarget } from './types';

export const PROBE_PROTOCOLS: readonly ProbeProtocol[] = ['wireguard', 'openvpn', 'ike', 'ike-natt', 'tcp', 'tls', 'stun', 'turn'];

export function isProbeProtocol(value: string): value is ProbeProtocol {
  return (PROBE_PROTOCOLS as readonly string[]).includes(value);
}

/** A DNS name (RFC 1123 labels) or an IP literal. */
function isHost(host: string): boolean {
  if (isIP(host) !== 0) return true;
  return host.length <= 253 && /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/.test(host);
}

/** Parses `HOST:PORT/PROTOCOL`; the error says what is wrong in words a user can act on. */
export function parseProbeTarget(text: string): ProbeTarget | { error: string } {
  const m = /^(?:\[([^\]]+)\]|([^:/[\]]+)):(\d{1,5})\/([A-Za-z-]+)$/.exec(text.trim());
  if (!m && !text.includes('[') && (text.match(/:/g) ?? []).length > 1) {
    return { error: `"${text}": write an IPv6 address in brackets, e.g. [2001:db8::1]:500/ike` };
  }
  if (!m) return { error: `"${text}" is not HOST:PORT/PROTOCOL (e.g. vpn.example.com:51820/wireguard, [2001:db8::1]:500/ike)` };
  const host = (m[1] ?? m[2]) as string;
  const port = Number(m[3]);
  const protocol = (m[4] as string).toLowerCase();
  if (m[1] !== undefined && isIP(host) !== 6) return { error: `"${host}" in brackets is not an IPv6 address` };
  if (!isHost(host)) return { error: `"${host}" is not a host name or IP address` };
  if (port < 1 || port > 65535) return { error: `port ${port} is out of range (1-65535)` };
  if (!isProbeProtocol(protocol)) return { error: `unknown protocol "${protocol}"; use one of ${PROBE_PROTOCOLS.join(', ')}` };
  return { host, port, protocol };
}

export function formatTarget(target: ProbeTarget): string {
  const host = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
  return `${host}:${target.port}/${target.protocol}`;
}

/** The default probe set for a host: UDP 500, 4500, 1194, 51820 and TCP 443. */
export function defaultTargets(host: string): ProbeTarget[] {
  return DEFAULT_PROBE_PORTS.map(({ port, protocol }) => ({ host, port, protocol }));
}

/** Parses a bare host (for the default set), `[v6]` included; undefined when it is not one. */
export function parseBareHost(text: string): string | undefined {
  const t = text.trim();
  const inner = /^\[([^\]]+)\]$/.exec(t)?.[1];
  if (inner !== undefined) return isIP(inner) === 6 ? inner : undefined;
  return isHost(t) ? t : undefined;
}

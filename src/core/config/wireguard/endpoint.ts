// An Endpoint value split the way wg splits it (wireguard-tools src/config.c parse_endpoint):
// "[host]:port", else at the last ":", so a bare IPv6 address with a port splits too. The value is
// the whitespace-free one the parser gives. The linter judges the parts; the "Probe endpoint"
// CodeLens and the probe's choice of peer use `endpointHostPort`.
import { isIP } from 'node:net';

export type EndpointSplit =
  | { ok: true; host: string; bracketed: boolean; port: string; portFrom: number }
  | { ok: false; problem: 'unmatched-bracket' | 'no-port' };

export function splitEndpoint(value: string): EndpointSplit {
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return { ok: false, problem: 'unmatched-bracket' };
    if (value.charAt(close + 1) !== ':' || close + 2 >= value.length) return { ok: false, problem: 'no-port' };
    return { ok: true, host: value.slice(1, close), bracketed: true, port: value.slice(close + 2), portFrom: close + 2 };
  }
  const colon = value.lastIndexOf(':');
  if (colon < 0 || colon === value.length - 1) return { ok: false, problem: 'no-port' };
  return { ok: true, host: value.slice(0, colon), bracketed: false, port: value.slice(colon + 1), portFrom: colon + 1 };
}

/**
 * Host and port of an Endpoint that a probe can try: a host (an unbracketed one with ":" only if it
 * is an IPv6 address) and a decimal port up to 65535. Undefined for anything else, service names
 * included.
 */
export function endpointHostPort(value: string): { host: string; port: number } | undefined {
  const split = splitEndpoint(value);
  if (!split.ok || split.host === '' || !/^[0-9]+$/.test(split.port)) return undefined;
  if (!split.bracketed && split.host.includes(':') && isIP(split.host) !== 6) return undefined;
  const port = Number(split.port);
  return port <= 65535 ? { host: split.host, port } : undefined;
}

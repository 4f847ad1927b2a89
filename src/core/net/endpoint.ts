// Host:port strings as users write them, and the transport addresses sockets see.
import { isIP } from 'node:net';

/** What the user named: a host (name or literal) and a port. */
export interface HostPort {
  host: string;
  port: number;
}

/** A concrete transport address, as a socket reports it. */
export interface SocketAddress {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

const HOST_PORT = /^(?:\[([0-9a-fA-F:.%a-zA-Z]+)\]|([^\s:[\]/]+)):(\d{1,5})$/;
const HOST_NAME = /^(?=.{1,253}$)[a-zA-Z0-9_](?:[a-zA-Z0-9_-]{0,62})(?:\.[a-zA-Z0-9_](?:[a-zA-Z0-9_-]{0,62}))*\.?$/;

/**
 * Parses `host:port`, `[v6]:port` or `v4:port`. Returns an error message rather than throwing,
 * so each caller can word the failure in its own terms (a usage error, a settings warning).
 */
export function parseHostPort(text: string): HostPort | { error: string } {
  const match = HOST_PORT.exec(text.trim());
  if (!match) {
    return { error: `"${text}" is not HOST:PORT (write IPv6 addresses as [2001:db8::1]:3478)` };
  }
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return { error: `"${text}": port must be between 1 and 65535` };
  }
  if (match[1] !== undefined && isIP(host) !== 6) {
    return { error: `"${text}": "${host}" in brackets is not an IPv6 address` };
  }
  if (match[2] !== undefined && isIP(host) === 0 && !HOST_NAME.test(host)) {
    return { error: `"${text}": "${host}" is not a valid host name or IPv4 address` };
  }
  return { host, port };
}

export function isParseError<T extends object>(value: T | { error: string }): value is { error: string } {
  return 'error' in value;
}

export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

export function formatAddress(address: { address: string; port: number }): string {
  return formatHostPort(address.address, address.port);
}

export function sameAddress(a: { address: string; port: number }, b: { address: string; port: number }): boolean {
  return a.port === b.port && normalizeIp(a.address) === normalizeIp(b.address);
}

/** `::ffff:192.0.2.1` and `192.0.2.1` name the same host; IPv6 compares case-insensitively. */
export function normalizeIp(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

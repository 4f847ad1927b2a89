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

/** `host:port` or `[v6]:port`; the host part holds no space, colon, bracket or slash. */
const HOST_PORT = /^(?:\[([^\]]*)\]|([^\s:[\]/]+)):(\d{1,5})$/;
/** One DNS label (RFC 1123 §2.1): letters, digits, inner hyphens; `_` too, as real names carry it. */
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * A DNS host name: labels of 1–63 characters, 253 in all, an optional final dot. The last label is
 * not all digits (RFC 3696 §2: no top-level domain is), so a mistyped address such as 192.0.2.300
 * is not taken for a name.
 */
export function isHostName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  return labels.every((l) => LABEL.test(l)) && !/^[0-9]+$/.test(labels[labels.length - 1] as string);
}

/**
 * A host alone, as the user writes it: a name, an IPv4 address, or an IPv6 address (with or
 * without brackets: without a port nothing is ambiguous). Undefined when it is none of these.
 */
export function parseHost(text: string): string | undefined {
  const t = text.trim();
  const inner = /^\[([^\]]+)\]$/.exec(t)?.[1];
  if (inner !== undefined) return isIP(inner) === 6 ? inner : undefined;
  return isIP(t) !== 0 || isHostName(t) ? t : undefined;
}

/**
 * Parses `host:port`, `[v6]:port` or `v4:port`: the one parser for every place a user names a
 * server (CLI flags, settings, probe targets). Returns an error message rather than throwing, so
 * each caller can word the failure in its own terms (a usage error, a settings warning).
 */
export function parseHostPort(text: string): HostPort | { error: string } {
  const trimmed = text.trim();
  const match = HOST_PORT.exec(trimmed);
  if (!match) {
    if (!trimmed.includes('[') && (trimmed.match(/:/g) ?? []).length > 1) {
      return { error: `"${text}": write an IPv6 address in brackets, e.g. [2001:db8::1]:3478` };
    }
    return { error: `"${text}" is not HOST:PORT (e.g. stun.example.org:3478; write IPv6 addresses as [2001:db8::1]:3478)` };
  }
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (match[1] !== undefined && isIP(host) !== 6) {
    return { error: `"${text}": "${host}" in brackets is not an IPv6 address` };
  }
  if (match[2] !== undefined && isIP(host) === 0 && !isHostName(host)) {
    return { error: `"${text}": "${host}" is not a host name or IP address` };
  }
  if (port < 1 || port > 65535) {
    return { error: `"${text}": port ${port} is out of range (the port must be between 1 and 65535)` };
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

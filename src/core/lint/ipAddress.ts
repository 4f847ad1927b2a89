// CIDR blocks as `wg` reads AllowedIPs; the literals themselves are parsed by net/ipText (inet_pton rules).
import { formatIpBytes, parseIpv4, parseIpv6 } from '../net/ipText';
import { holdsWireguardKey, quote } from './redact';

export interface ParsedCidr {
  family: 4 | 6;
  bytes: number[];
  prefix: number;
  /** True when the text had an explicit "/prefix". */
  explicitPrefix: boolean;
}

export type CidrResult = { ok: true; value: ParsedCidr } | { ok: false; reason: string };

/**
 * `ip[/prefix]` as wg's parse_allowedips reads it: IPv6 when the address contains ":", the prefix
 * must start with a digit and be ≤ 32 or ≤ 128, and no prefix means a host route.
 */
export function parseCidr(text: string): CidrResult {
  const slash = text.indexOf('/');
  const ip = slash < 0 ? text : text.slice(0, slash);
  const family: 4 | 6 = ip.includes(':') ? 6 : 4;
  const bytes = family === 6 ? parseIpv6(ip) : parseIpv4(ip);
  // A pasted key split at its "/" must not leak half of itself.
  if (!bytes) return { ok: false, reason: `${quote(holdsWireguardKey(text) ? text : ip)} is not an IPv${family} address` };
  const max = family === 4 ? 32 : 128;
  if (slash < 0) return { ok: true, value: { family, bytes, prefix: max, explicitPrefix: false } };
  const p = text.slice(slash + 1);
  if (!/^[0-9]+$/.test(p) || Number(p) > max) return { ok: false, reason: `${quote(`/${p}`)} is not a prefix length from 0 to ${max}` };
  return { ok: true, value: { family, bytes, prefix: Number(p), explicitPrefix: true } };
}

/** The network address (host bits cleared) when the CIDR has host bits set, else undefined. */
export function networkIfHostBitsSet(c: ParsedCidr): string | undefined {
  const masked = c.bytes.map((b, i) => {
    const bitsBefore = i * 8;
    if (bitsBefore >= c.prefix) return 0;
    if (bitsBefore + 8 <= c.prefix) return b;
    return b & (0xff << (8 - (c.prefix - bitsBefore))) & 0xff;
  });
  if (masked.every((b, i) => b === c.bytes[i])) return undefined;
  return `${formatIpBytes(masked)}/${c.prefix}`;
}

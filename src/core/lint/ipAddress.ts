import { quoteValue } from './redact';
// IP literals exactly as glibc inet_pton(3) accepts them, which is what `wg` (config.c parse_ip)
// and `ip address add` use: dotted quads without leading zeros, RFC 4291 text for IPv6.

/** The 4 bytes of a strict dotted-quad IPv4 address, or undefined. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    // inet_pton4 rejects a leading zero ("01") and more than three digits.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

/** The 16 bytes of an IPv6 address in RFC 4291 §2.2 text form (no zone id), or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const double = text.indexOf('::');
  if (double >= 0 && text.indexOf('::', double + 1) >= 0) return undefined;
  const parseGroups = (s: string, allowV4Tail: boolean): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (allowV4Tail && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return undefined;
        out.push((v4[0] as number) * 256 + (v4[1] as number), (v4[2] as number) * 256 + (v4[3] as number));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let words: number[];
  if (double >= 0) {
    const head = parseGroups(text.slice(0, double), false);
    const tail = parseGroups(text.slice(double + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (!all || all.length !== 8) return undefined;
    words = all;
  }
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

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
  if (!bytes) return { ok: false, reason: `${quoteValue(ip)} is not an IPv${family} address` };
  const max = family === 4 ? 32 : 128;
  if (slash < 0) return { ok: true, value: { family, bytes, prefix: max, explicitPrefix: false } };
  const p = text.slice(slash + 1);
  if (!/^[0-9]+$/.test(p) || Number(p) > max) return { ok: false, reason: `${quoteValue(`/${p}`)} is not a prefix length from 0 to ${max}` };
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
  return `${formatIp(c.family, masked)}/${c.prefix}`;
}

export function formatIp(family: 4 | 6, bytes: number[]): string {
  if (family === 4) return bytes.join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i] as number) * 256 + (bytes[i + 1] as number));
  // RFC 5952 §4.2: compress the longest run (≥ 2) of zero words.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

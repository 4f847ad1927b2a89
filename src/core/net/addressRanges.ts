// Which kind of IPv4 address is this? The CGNAT verdict rests on these ranges.
import { isIP } from 'node:net';

export type AddressKind = 'cgnat' | 'private' | 'loopback' | 'link-local' | 'public' | 'other';

interface Range {
  base: number;
  bits: number;
  kind: AddressKind;
}

const RANGES: Range[] = [
  { base: ipv4ToInt('100.64.0.0'), bits: 10, kind: 'cgnat' }, // RFC 6598 shared address space
  { base: ipv4ToInt('10.0.0.0'), bits: 8, kind: 'private' }, // RFC 1918
  { base: ipv4ToInt('172.16.0.0'), bits: 12, kind: 'private' },
  { base: ipv4ToInt('192.168.0.0'), bits: 16, kind: 'private' },
  { base: ipv4ToInt('127.0.0.0'), bits: 8, kind: 'loopback' },
  { base: ipv4ToInt('169.254.0.0'), bits: 16, kind: 'link-local' },
  { base: ipv4ToInt('0.0.0.0'), bits: 8, kind: 'other' },
  { base: ipv4ToInt('224.0.0.0'), bits: 3, kind: 'other' }, // multicast and reserved
];

export function ipv4ToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

/** Classifies an IPv4 address; anything not IPv4 is `other`. */
export function addressKind(ip: string): AddressKind {
  if (isIP(ip) !== 4) return 'other';
  const n = ipv4ToInt(ip);
  for (const r of RANGES) {
    const mask = r.bits === 0 ? 0 : (~0 << (32 - r.bits)) >>> 0;
    if ((n & mask) >>> 0 === r.base) return r.kind;
  }
  return 'public';
}

export function isCgnatAddress(ip: string): boolean {
  return addressKind(ip) === 'cgnat';
}

/** RFC 1918 or RFC 6598: addresses that cannot be someone's public address. */
export function isNonPublic(ip: string): boolean {
  const kind = addressKind(ip);
  return kind !== 'public';
}

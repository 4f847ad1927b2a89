// STUN attribute types and their values: addresses (plain, XOR, RFC 3489 legacy), ERROR-CODE,
// CHANGE-REQUEST, RESPONSE-PORT, PADDING, text and 32-bit values. Readers return `undefined` for a
// value of the wrong shape; writers produce exactly the bytes of the RFC layout.
import { isIP } from 'node:net';
import { formatIpBytes, ipToBytes } from '../net/ipText';
import { printable } from '../net/printable';

/**
 * RFC 8489 §5: the fixed second word of every STUN header, and the key that XOR-MAPPED-ADDRESS
 * ports and addresses are masked with (§14.2). Defined here, with the XOR codec; the message codec
 * re-exports it.
 */
export const MAGIC_COOKIE = 0x2112a442;

export const ATTR = {
  // RFC 8489 §18.3
  MAPPED_ADDRESS: 0x0001,
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  UNKNOWN_ATTRIBUTES: 0x000a,
  REALM: 0x0014,
  NONCE: 0x0015,
  MESSAGE_INTEGRITY_SHA256: 0x001c,
  PASSWORD_ALGORITHM: 0x001d,
  USERHASH: 0x001e,
  XOR_MAPPED_ADDRESS: 0x0020,
  PASSWORD_ALGORITHMS: 0x8002,
  ALTERNATE_DOMAIN: 0x8003,
  SOFTWARE: 0x8022,
  ALTERNATE_SERVER: 0x8023,
  FINGERPRINT: 0x8028,
  // RFC 5780 §7
  CHANGE_REQUEST: 0x0003,
  PADDING: 0x0026,
  RESPONSE_PORT: 0x0027,
  RESPONSE_ORIGIN: 0x802b,
  OTHER_ADDRESS: 0x802c,
  // RFC 3489 §11.2 (classic servers still send them)
  RESPONSE_ADDRESS: 0x0002,
  SOURCE_ADDRESS: 0x0004,
  CHANGED_ADDRESS: 0x0005,
  PASSWORD: 0x0007,
  REFLECTED_FROM: 0x000b,
  // RFC 8656 §18 (TURN)
  CHANNEL_NUMBER: 0x000c,
  LIFETIME: 0x000d,
  XOR_PEER_ADDRESS: 0x0012,
  DATA: 0x0013,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_ADDRESS_FAMILY: 0x0017,
  EVEN_PORT: 0x0018,
  REQUESTED_TRANSPORT: 0x0019,
  DONT_FRAGMENT: 0x001a,
  RESERVATION_TOKEN: 0x0022,
  ADDITIONAL_ADDRESS_FAMILY: 0x8000,
  ADDRESS_ERROR_CODE: 0x8001,
  ICMP: 0x8004,
  // RFC 8445 §16.1 (ICE connectivity checks), RFC 6062 (TURN over TCP), RFC 7635 (OAuth)
  PRIORITY: 0x0024,
  USE_CANDIDATE: 0x0025,
  ICE_CONTROLLED: 0x8029,
  ICE_CONTROLLING: 0x802a,
  CONNECTION_ID: 0x002a,
  ACCESS_TOKEN: 0x001b,
  // Registered but unassigned to any current RFC (RFC 5389 §18.2 reserved them): known, not unknown.
  BANDWIDTH: 0x0010,
  TIMER_VAL: 0x0021,
} as const;

const KNOWN = new Set<number>(Object.values(ATTR));

export function isKnownAttribute(type: number): boolean {
  return KNOWN.has(type);
}

/** RFC 8489 §14: 0x0000–0x7FFF must be understood; 0x8000–0xFFFF may be ignored. */
export function isComprehensionRequired(type: number): boolean {
  return type < 0x8000;
}

export interface StunAddress {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

const FAMILY_BYTE = { IPv4: 0x01, IPv6: 0x02 } as const;

/** MAPPED-ADDRESS layout (RFC 8489 §14.1), shared by OTHER-ADDRESS, RESPONSE-ORIGIN and RFC 3489's. */
export function decodeAddress(value: Buffer): StunAddress | undefined {
  if (value.length < 4) return undefined;
  const family = value[1];
  const port = value.readUInt16BE(2);
  if (family === FAMILY_BYTE.IPv4 && value.length === 8) return { address: formatIpBytes(value.subarray(4, 8)), port, family: 'IPv4' };
  if (family === FAMILY_BYTE.IPv6 && value.length === 20) return { address: formatIpBytes(value.subarray(4, 20)), port, family: 'IPv6' };
  return undefined;
}

export function encodeAddress(address: { address: string; port: number }): Buffer {
  const ip = ipToBytes(address.address);
  if (!ip) throw new RangeError('not an IP address literal');
  const out = Buffer.alloc(4 + ip.length);
  out[1] = ip.length === 4 ? FAMILY_BYTE.IPv4 : FAMILY_BYTE.IPv6;
  out.writeUInt16BE(address.port, 2);
  ip.copy(out, 4);
  return out;
}

/** XOR-MAPPED-ADDRESS layout (RFC 8489 §14.2): port ^ top of the cookie, address ^ cookie ‖ id. */
export function decodeXorAddress(value: Buffer, transactionId: Buffer): StunAddress | undefined {
  const plain = xorAddressBytes(value, transactionId);
  return plain ? decodeAddress(plain) : undefined;
}

export function encodeXorAddress(address: { address: string; port: number }, transactionId: Buffer): Buffer {
  return xorAddressBytes(encodeAddress(address), transactionId) as Buffer;
}

/** XOR is its own inverse: the same function encodes and decodes. */
function xorAddressBytes(value: Buffer, transactionId: Buffer): Buffer | undefined {
  if (value.length !== 8 && value.length !== 20) return undefined;
  const key = Buffer.alloc(16);
  key.writeUInt32BE(MAGIC_COOKIE, 0);
  transactionId.copy(key, 4);
  const out = Buffer.from(value);
  out.writeUInt16BE(value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16), 2);
  for (let i = 4; i < value.length; i++) out[i] = (value[i] as number) ^ (key[i - 4] as number);
  return out;
}

/** ERROR-CODE (RFC 8489 §14.8): class × 100 + number, and a printable reason phrase. */
export function decodeErrorCode(value: Buffer): { code: number; reason: string } | undefined {
  if (value.length < 4) return undefined;
  const cls = (value[2] as number) & 0x07;
  const number = value[3] as number;
  if (cls < 3 || cls > 6 || number > 99) return undefined;
  return { code: cls * 100 + number, reason: printable(value.subarray(4).toString('utf8'), 128) };
}

export function encodeErrorCode(code: number, reason: string): Buffer {
  const head = Buffer.from([0, 0, Math.floor(code / 100), code % 100]);
  return Buffer.concat([head, Buffer.from(reason, 'utf8')]);
}

/** RFC 5780 §7.2: bit A (0x4) asks for an answer from the other IP, bit B (0x2) from the other port. */
export function encodeChangeRequest(change: { ip?: boolean; port?: boolean }): Buffer {
  return uint32Value((change.ip ? 0x4 : 0) | (change.port ? 0x2 : 0));
}

export function decodeChangeRequest(value: Buffer): { ip: boolean; port: boolean } | undefined {
  if (value.length !== 4) return undefined;
  const flags = value.readUInt32BE(0);
  return { ip: (flags & 0x4) !== 0, port: (flags & 0x2) !== 0 };
}

/** RFC 5780 §7.5: a 16-bit port and two bytes of padding. */
export function encodeResponsePort(port: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt16BE(port, 0);
  return out;
}

export function uint32Value(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0, 0);
  return out;
}

export function decodeUint32(value: Buffer | undefined): number | undefined {
  return value?.length === 4 ? value.readUInt32BE(0) : undefined;
}


/** The address family of an IP literal, in the words sockets use. */
export function addressFamily(address: string): 'IPv4' | 'IPv6' {
  return isIP(address) === 6 ? 'IPv6' : 'IPv4';
}

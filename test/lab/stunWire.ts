// A deliberately small STUN codec for the test side: the lab's own tools (readiness pings, the
// hostile responder) and the unit tests' fake TURN server. It is independent of src/core on
// purpose — written from the RFCs, not from the product — so that a codec bug in the product
// cannot be cancelled out by the same bug in the double that answers it. Its own correctness is
// proven against the RFC 5769 sample messages (test/unit/probes/independentCodecs.test.ts).
// RFC 5389 §6 (header, message type), §15 (attributes: addresses, USERNAME, MESSAGE-INTEGRITY,
// FINGERPRINT, ERROR-CODE, REALM, NONCE, SOFTWARE), RFC 5780 §7 (CHANGE-REQUEST, RESPONSE-ORIGIN,
// OTHER-ADDRESS), RFC 8656 §18 (TURN: LIFETIME, XOR-RELAYED-ADDRESS, REQUESTED-TRANSPORT).
import { createHash, createHmac, randomBytes } from 'node:crypto';

export const MAGIC_COOKIE = 0x2112a442;

/** RFC 5389 §6: the two class bits C1 C0 of the message type. */
export const CLASS = { request: 0, indication: 1, success: 2, error: 3 } as const;
/** RFC 5389 §18.1, RFC 8656 §17. */
export const METHOD = { BINDING: 0x001, ALLOCATE: 0x003, REFRESH: 0x004 } as const;

/**
 * RFC 5389 §6: the 12 method bits M0..M11 are split around the class bits, which sit at bit 4 (C0)
 * and bit 8 (C1): `M11..M7 C1 M6..M4 C0 M3..M0`.
 */
export function messageType(method: number, cls: number): number {
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((cls & 1) << 4) | ((cls & 2) << 7);
}

export const BINDING_REQUEST = messageType(METHOD.BINDING, CLASS.request);
export const BINDING_SUCCESS = messageType(METHOD.BINDING, CLASS.success);
export const ATTR = {
  MAPPED_ADDRESS: 0x0001,
  CHANGE_REQUEST: 0x0003,
  CHANGED_ADDRESS: 0x0005,
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  LIFETIME: 0x000d,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
  XOR_MAPPED_ADDRESS: 0x0020,
  /** RFC 8445 §16.1 (ICE), in the RFC 5769 §2.1 sample. */
  PRIORITY: 0x0024,
  SOFTWARE: 0x8022,
  FINGERPRINT: 0x8028,
  /** RFC 8445 §16.1 (ICE), in the RFC 5769 §2.1 sample. */
  ICE_CONTROLLED: 0x8029,
  RESPONSE_ORIGIN: 0x802b,
  OTHER_ADDRESS: 0x802c,
} as const;

/** RFC 5389 §15.5: the CRC is XOR-ed with 0x5354554e ("STUN"). */
const FINGERPRINT_XOR = 0x5354554e;

export interface StunAddress {
  address: string;
  port: number;
}

export interface StunAttribute {
  type: number;
  value: Buffer;
  /** Where the attribute's header starts in the message (MESSAGE-INTEGRITY covers what is before it). */
  offset: number;
}

export interface StunMessage {
  type: number;
  transactionId: Buffer;
  /** Attribute type → raw value (first occurrence). */
  attributes: Map<number, Buffer>;
  /** Every attribute in wire order. */
  list: StunAttribute[];
}

export function newTransactionId(): Buffer {
  return randomBytes(12);
}

/**
 * One attribute: type, length of the value, the value and padding to a multiple of 4 (RFC 5389
 * §15). The padding bytes are ignored by receivers; RFC 5769 §2.1–2.3 fill them with spaces.
 */
export function attribute(type: number, value: Buffer, paddingByte = 0): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  const padding = Buffer.alloc((4 - (value.length % 4)) % 4, paddingByte);
  return Buffer.concat([header, value, padding]);
}

function header(type: number, length: number, transactionId: Buffer): Buffer {
  const out = Buffer.alloc(20);
  out.writeUInt16BE(type, 0);
  out.writeUInt16BE(length, 2);
  out.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(out, 8);
  return out;
}

/** CRC-32 of ISO 3309 / ITU-T V.42 (reflected polynomial 0xedb88320), as RFC 5389 §15.5 requires. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export interface EncodeOptions {
  /** Append MESSAGE-INTEGRITY: HMAC-SHA1 with this key (RFC 5389 §15.4). */
  integrityKey?: Buffer;
  /** Append FINGERPRINT (RFC 5389 §15.5), after MESSAGE-INTEGRITY. */
  fingerprint?: boolean;
}

/**
 * A message from already encoded attributes. MESSAGE-INTEGRITY is computed over the header and the
 * attributes before it, with the header's length already counting the integrity attribute but not
 * a FINGERPRINT after it (RFC 5389 §15.4); FINGERPRINT covers everything before it, with the length
 * counting itself (§15.5).
 */
export function encodeMessage(type: number, transactionId: Buffer, attributes: Buffer[] = [], options: EncodeOptions = {}): Buffer {
  let body = Buffer.concat(attributes);
  if (options.integrityKey) {
    const hmac = createHmac('sha1', options.integrityKey).update(header(type, body.length + 24, transactionId)).update(body).digest();
    body = Buffer.concat([body, attribute(ATTR.MESSAGE_INTEGRITY, hmac)]);
  }
  if (options.fingerprint) {
    const crc = crc32(Buffer.concat([header(type, body.length + 8, transactionId), body]));
    const value = Buffer.alloc(4);
    value.writeUInt32BE((crc ^ FINGERPRINT_XOR) >>> 0, 0);
    body = Buffer.concat([body, attribute(ATTR.FINGERPRINT, value)]);
  }
  return Buffer.concat([header(type, body.length, transactionId), body]);
}

/** A Binding Request, optionally with CHANGE-REQUEST (RFC 5780 §7.2: 0x4 change IP, 0x2 change port). */
export function bindingRequest(transactionId: Buffer, change?: { ip: boolean; port: boolean }): Buffer {
  const attrs: Buffer[] = [];
  if (change) {
    const flags = Buffer.alloc(4);
    flags.writeUInt32BE((change.ip ? 4 : 0) | (change.port ? 2 : 0), 0);
    attrs.push(attribute(ATTR.CHANGE_REQUEST, flags));
  }
  return encodeMessage(BINDING_REQUEST, transactionId, attrs);
}

function ipv4Bytes(address: string): Buffer {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new Error(`not IPv4: ${address}`);
  return Buffer.from(parts.map(Number));
}

/** RFC 4291 §2.2 text (hex groups, at most one `::`) → 16 bytes. */
function ipv6Bytes(address: string): Buffer {
  const halves = address.split('::');
  if (halves.length > 2) throw new Error(`not IPv6: ${address}`);
  const groups = (text: string | undefined): string[] => (text ? text.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) throw new Error(`not IPv6: ${address}`);
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new Error(`not IPv6: ${address}`);
    out.writeUInt16BE(parseInt(g, 16), i * 2);
  });
  return out;
}

/** The 4 or 16 bytes of an IPv4 or IPv6 address in text form. */
export function ipAddressBytes(address: string): Buffer {
  return address.includes(':') ? ipv6Bytes(address) : ipv4Bytes(address);
}

/**
 * An XOR-MAPPED-ADDRESS-style value (RFC 5389 §15.2), also the layout of XOR-RELAYED-ADDRESS
 * (RFC 8656 §18.5): the port is XOR-ed with the cookie's high 16 bits, an IPv4 address with the
 * cookie, an IPv6 address with the cookie followed by the transaction id (which IPv6 needs).
 */
export function xorMappedAddress(addr: StunAddress, transactionId?: Buffer): Buffer {
  const ip = ipAddressBytes(addr.address);
  const key = Buffer.alloc(16);
  key.writeUInt32BE(MAGIC_COOKIE, 0);
  if (ip.length === 16) {
    if (!transactionId) throw new Error('an IPv6 XOR address needs the transaction id');
    transactionId.copy(key, 4);
  }
  const value = Buffer.alloc(4 + ip.length);
  value.writeUInt8(ip.length === 16 ? 2 : 1, 1);
  value.writeUInt16BE(addr.port ^ (MAGIC_COOKIE >>> 16), 2);
  for (let i = 0; i < ip.length; i++) value[4 + i] = (ip[i] as number) ^ (key[i] as number);
  return value;
}

/** MAPPED-ADDRESS-style (plain) IPv4 value, also the layout of OTHER-ADDRESS / RESPONSE-ORIGIN. */
export function plainAddress(addr: StunAddress): Buffer {
  const value = Buffer.alloc(8);
  value.writeUInt8(0, 0);
  value.writeUInt8(1, 1);
  value.writeUInt16BE(addr.port, 2);
  ipv4Bytes(addr.address).copy(value, 4);
  return value;
}

/** ERROR-CODE (RFC 5389 §15.6): 21 zero bits, the class (hundreds) in 3 bits, the number in 8, the reason. */
export function errorCode(code: number, reason: string): Buffer {
  return Buffer.concat([Buffer.from([0, 0, Math.floor(code / 100) & 7, code % 100]), Buffer.from(reason, 'utf8')]);
}

/** A 32-bit unsigned value, e.g. LIFETIME (RFC 8656 §18.2). */
export function uint32(n: number): Buffer {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(n >>> 0, 0);
  return value;
}

/**
 * RFC 5389 §15.4 long-term credential key: MD5(username ":" realm ":" password). The caller passes
 * the password after SASLprep (RFC 4013); this codec does not prepare strings.
 */
export function longTermKey(username: string, realm: string, password: string): Buffer {
  return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest();
}

/** A Binding Success Response carrying XOR-MAPPED-ADDRESS (and optional extra attributes). */
export function bindingSuccess(
  transactionId: Buffer,
  mapped: StunAddress,
  extra: { otherAddress?: StunAddress; responseOrigin?: StunAddress; software?: string } = {},
): Buffer {
  const attrs = [attribute(ATTR.XOR_MAPPED_ADDRESS, xorMappedAddress(mapped, transactionId))];
  if (extra.responseOrigin) attrs.push(attribute(ATTR.RESPONSE_ORIGIN, plainAddress(extra.responseOrigin)));
  if (extra.otherAddress) attrs.push(attribute(ATTR.OTHER_ADDRESS, plainAddress(extra.otherAddress)));
  if (extra.software !== undefined) attrs.push(attribute(ATTR.SOFTWARE, Buffer.from(extra.software, 'utf8')));
  return encodeMessage(BINDING_SUCCESS, transactionId, attrs);
}

/** Parses a STUN message; `undefined` for anything malformed (never throws). */
export function parseMessage(packet: Buffer): StunMessage | undefined {
  if (packet.length < 20 || (packet[0] ?? 0xff) & 0xc0) return undefined;
  if (packet.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  const length = packet.readUInt16BE(2);
  if (length % 4 !== 0 || 20 + length !== packet.length) return undefined;
  const attributes = new Map<number, Buffer>();
  const list: StunAttribute[] = [];
  let offset = 20;
  while (offset + 4 <= packet.length) {
    const type = packet.readUInt16BE(offset);
    const len = packet.readUInt16BE(offset + 2);
    const end = offset + 4 + len;
    if (end > packet.length) return undefined;
    const value = packet.subarray(offset + 4, end);
    if (!attributes.has(type)) attributes.set(type, value);
    list.push({ type, value, offset });
    offset = end + ((4 - (len % 4)) % 4);
  }
  return { type: packet.readUInt16BE(0), transactionId: Buffer.from(packet.subarray(8, 20)), attributes, list };
}

/**
 * Checks MESSAGE-INTEGRITY with `key` (RFC 5389 §15.4): HMAC-SHA1 over the message up to the
 * attribute, with the header's length adjusted to end just after it. False when it is missing.
 */
export function verifyIntegrity(packet: Buffer, key: Buffer): boolean {
  const mi = parseMessage(packet)?.list.find((a) => a.type === ATTR.MESSAGE_INTEGRITY);
  if (!mi || mi.value.length !== 20) return false;
  const head = Buffer.from(packet.subarray(0, 20));
  head.writeUInt16BE(mi.offset + 24 - 20, 2);
  const expected = createHmac('sha1', key).update(head).update(packet.subarray(20, mi.offset)).digest();
  return expected.equals(mi.value);
}

/** Checks FINGERPRINT (RFC 5389 §15.5): present, last, and the CRC of everything before it. */
export function verifyFingerprint(packet: Buffer): boolean {
  const list = parseMessage(packet)?.list;
  const last = list?.[list.length - 1];
  if (!last || last.type !== ATTR.FINGERPRINT || last.value.length !== 4) return false;
  return ((crc32(packet.subarray(0, last.offset)) ^ FINGERPRINT_XOR) >>> 0) === last.value.readUInt32BE(0);
}

/** Decodes an IPv4 or IPv6 (XOR-)MAPPED-ADDRESS-style value (IPv6 XOR needs the transaction id). */
export function decodeAddress(value: Buffer | undefined, xor: boolean, transactionId?: Buffer): StunAddress | undefined {
  if (!value || value.length < 8) return undefined;
  const port = value.readUInt16BE(2) ^ (xor ? MAGIC_COOKIE >>> 16 : 0);
  if (value[1] === 2 && value.length >= 20) {
    const key = Buffer.alloc(16);
    key.writeUInt32BE(MAGIC_COOKIE, 0);
    transactionId?.copy(key, 4);
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push((value.readUInt16BE(4 + i) ^ (xor ? key.readUInt16BE(i) : 0)).toString(16));
    return { address: groups.join(':'), port };
  }
  if (value[1] !== 1) return undefined;
  let ip = value.readUInt32BE(4);
  if (xor) ip = (ip ^ MAGIC_COOKIE) >>> 0;
  return { address: [ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff].join('.'), port };
}

/** The mapped address of a Binding Success (XOR-MAPPED preferred, MAPPED as fallback). */
export function mappedAddressOf(message: StunMessage): StunAddress | undefined {
  return (
    decodeAddress(message.attributes.get(ATTR.XOR_MAPPED_ADDRESS), true, message.transactionId) ??
    decodeAddress(message.attributes.get(ATTR.MAPPED_ADDRESS), false)
  );
}

// A small STUN message codec for the stun and turn probes: enough of RFC 5389/8489 (header,
// attributes, XOR addresses, ERROR-CODE, MESSAGE-INTEGRITY with long-term credentials,
// FINGERPRINT) and RFC 8656 (TURN Allocate/Refresh attributes). Decoding is total: hostile bytes
// give undefined, never an exception.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { crc32 } from '../../stun/crc32';
import { equalBytes, slice, u16, u32 } from '../bytes';

export const MAGIC_COOKIE = 0x2112a442;
export const HEADER_LENGTH = 20;

/** Method | class bits (RFC 5389 §6: C1 = 0x100, C0 = 0x010). */
export const MessageType = {
  bindingRequest: 0x0001,
  bindingSuccess: 0x0101,
  bindingError: 0x0111,
  allocateRequest: 0x0003,
  allocateSuccess: 0x0103,
  allocateError: 0x0113,
  refreshRequest: 0x0004,
  refreshSuccess: 0x0104,
  refreshError: 0x0114,
} as const;

export const Attr = {
  mappedAddress: 0x0001,
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  lifetime: 0x000d,
  xorRelayedAddress: 0x0016,
  requestedTransport: 0x0019,
  realm: 0x0014,
  nonce: 0x0015,
  xorMappedAddress: 0x0020,
  software: 0x8022,
  fingerprint: 0x8028,
} as const;

export interface StunAttribute {
  type: number;
  value: Buffer;
}

export interface StunMessage {
  type: number;
  transactionId: Buffer;
  attributes: StunAttribute[];
  /** The raw bytes, for MESSAGE-INTEGRITY checks. */
  raw: Buffer;
}

export function newTransactionId(): Buffer {
  return randomBytes(12);
}

function attributeBytes(a: StunAttribute): Buffer {
  const padded = Math.ceil(a.value.length / 4) * 4;
  const out = Buffer.alloc(4 + padded);
  out.writeUInt16BE(a.type, 0);
  out.writeUInt16BE(a.value.length, 2);
  a.value.copy(out, 4);
  return out;
}

function header(type: number, length: number, transactionId: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_LENGTH);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(h, 8);
  return h;
}

/**
 * RFC 5389 §15.4 long-term credential key: MD5(username ":" realm ":" password). The key is a
 * secret: it stays inside this module's callers and is never logged.
 */
export function longTermKey(username: string, realm: string, password: string): Buffer {
  return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest();
}

export interface EncodeOptions {
  /** Adds MESSAGE-INTEGRITY (HMAC-SHA1) with this key. */
  integrityKey?: Buffer;
  fingerprint?: boolean;
}

/**
 * Encodes a message. MESSAGE-INTEGRITY covers the header with a length that already counts the
 * integrity attribute (RFC 5389 §15.4); FINGERPRINT likewise counts itself (§15.5).
 */
export function encodeStun(type: number, transactionId: Buffer, attributes: StunAttribute[], options: EncodeOptions = {}): Buffer {
  let body = Buffer.concat(attributes.map(attributeBytes));
  if (options.integrityKey) {
    const withMi = body.length + 24;
    const mac = createHmac('sha1', options.integrityKey).update(header(type, withMi, transactionId)).update(body).digest();
    body = Buffer.concat([body, attributeBytes({ type: Attr.messageIntegrity, value: mac })]);
  }
  if (options.fingerprint) {
    const withFp = body.length + 8;
    const crc = (crc32(Buffer.concat([header(type, withFp, transactionId), body])) ^ 0x5354554e) >>> 0;
    const value = Buffer.alloc(4);
    value.writeUInt32BE(crc, 0);
    body = Buffer.concat([body, attributeBytes({ type: Attr.fingerprint, value })]);
  }
  return Buffer.concat([header(type, body.length, transactionId), body]);
}

/** More than this many attributes is not a real answer. */
const MAX_ATTRIBUTES = 64;

/** Decodes a STUN message; undefined for anything malformed (RFC 5389 §6: top bits, cookie, length). */
export function decodeStun(buf: Uint8Array): StunMessage | undefined {
  const type = u16(buf, 0);
  const length = u16(buf, 2);
  const cookie = u32(buf, 4);
  const transactionId = slice(buf, 8, 12);
  if (type === undefined || length === undefined || cookie !== MAGIC_COOKIE || !transactionId) return undefined;
  if ((type & 0xc000) !== 0 || length % 4 !== 0 || HEADER_LENGTH + length !== buf.length) return undefined;
  const attributes: StunAttribute[] = [];
  let offset = HEADER_LENGTH;
  while (offset < buf.length) {
    if (attributes.length >= MAX_ATTRIBUTES) return undefined;
    const aType = u16(buf, offset);
    const aLength = u16(buf, offset + 2);
    if (aType === undefined || aLength === undefined) return undefined;
    const value = slice(buf, offset + 4, aLength);
    if (!value) return undefined;
    attributes.push({ type: aType, value });
    offset += 4 + Math.ceil(aLength / 4) * 4;
  }
  if (offset !== buf.length) return undefined;
  return { type, transactionId, attributes, raw: Buffer.from(buf) };
}

export function attribute(msg: StunMessage, type: number): Buffer | undefined {
  return msg.attributes.find((a) => a.type === type)?.value;
}

export interface StunAddress {
  family: 4 | 6;
  address: string;
  port: number;
}

/** XOR-MAPPED-ADDRESS / XOR-RELAYED-ADDRESS (RFC 5389 §15.2). */
export function decodeXorAddress(value: Buffer, transactionId: Buffer): StunAddress | undefined {
  const family = value[1];
  const xport = u16(value, 2);
  if (xport === undefined) return undefined;
  const port = xport ^ (MAGIC_COOKIE >>> 16);
  if (family === 1 && value.length === 8) {
    const x = value.readUInt32BE(4) ^ MAGIC_COOKIE;
    return { family: 4, address: [x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255].join('.'), port };
  }
  if (family === 2 && value.length === 20) {
    const mask = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), transactionId]);
    const bytes = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) bytes[i] = (value[4 + i] as number) ^ (mask[i] as number);
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
    return { family: 6, address: groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::'), port };
  }
  return undefined;
}

/** MAPPED-ADDRESS (RFC 5389 §15.1), for servers that send no XOR form. */
export function decodePlainAddress(value: Buffer): StunAddress | undefined {
  const family = value[1];
  const port = u16(value, 2);
  if (port === undefined) return undefined;
  if (family === 1 && value.length === 8) return { family: 4, address: [...value.subarray(4, 8)].join('.'), port };
  return undefined;
}

/** ERROR-CODE (RFC 5389 §15.6): class × 100 + number, and the reason phrase. */
export function decodeErrorCode(value: Buffer): { code: number; reason: string } | undefined {
  if (value.length < 4) return undefined;
  const cls = (value[2] as number) & 0x07;
  const num = value[3] as number;
  if (cls < 3 || cls > 6 || num > 99) return undefined;
  return { code: cls * 100 + num, reason: value.subarray(4).toString('utf8').replace(/[^\x20-\x7e]/g, '?').slice(0, 120) };
}

/**
 * Checks MESSAGE-INTEGRITY (HMAC-SHA1) of a received message with `key`: the HMAC covers the bytes
 * before the attribute with the header length set to end just after it (RFC 5389 §15.4).
 */
export function verifyMessageIntegrity(msg: StunMessage, key: Buffer): boolean {
  let offset = HEADER_LENGTH;
  for (const a of msg.attributes) {
    if (a.type === Attr.messageIntegrity) {
      if (a.value.length !== 20) return false;
      const head = Buffer.from(msg.raw.subarray(0, HEADER_LENGTH));
      head.writeUInt16BE(offset - HEADER_LENGTH + 24, 2);
      const expected = createHmac('sha1', key).update(head).update(msg.raw.subarray(HEADER_LENGTH, offset)).digest();
      return equalBytes(expected, a.value);
    }
    offset += 4 + Math.ceil(a.value.length / 4) * 4;
  }
  return false;
}

export function utf8Attribute(type: number, text: string): StunAttribute {
  return { type, value: Buffer.from(text, 'utf8') };
}

export function uint32Attribute(type: number, n: number): StunAttribute {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(n >>> 0, 0);
  return { type, value };
}

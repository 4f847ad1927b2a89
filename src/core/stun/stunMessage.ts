// The one STUN message codec (RFC 8489 §5, §14): the header, attribute TLVs, MESSAGE-INTEGRITY,
// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT. Every STUN user in the engine — the RFC 5780 NAT
// tests, the stun and turn probes, the pair test — encodes and decodes through this module;
// typed attribute values live in stunAttributes.ts, Binding-specific views in binding.ts.
// Decoding is total: bytes that are not a well-formed STUN message give `undefined`, never an
// exception, because every datagram that reaches us may be hostile.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from './crc32';
import { ATTR, MAGIC_COOKIE, isComprehensionRequired, isKnownAttribute } from './stunAttributes';

export { MAGIC_COOKIE };
export const HEADER_LENGTH = 20;
/** RFC 8489 §14.7: the CRC-32 is XORed with "STUN". */
const FINGERPRINT_XOR = 0x5354554e;
/** More attributes than this is not a message a server sends in answer to us. */
const MAX_ATTRIBUTES = 128;

export type StunClass = 'request' | 'indication' | 'success' | 'error';

/** Methods we speak: Binding (RFC 8489) and the TURN methods of RFC 8656 §17. */
export const METHOD = {
  binding: 0x001,
  allocate: 0x003,
  refresh: 0x004,
  send: 0x006,
  data: 0x007,
  createPermission: 0x008,
  channelBind: 0x009,
} as const;

const CLASS_BITS: Record<StunClass, number> = { request: 0b00, indication: 0b01, success: 0b10, error: 0b11 };
const CLASS_OF = ['request', 'indication', 'success', 'error'] as const;

/** RFC 8489 §5: the class bits C1 and C0 sit at bits 8 and 4 of the 14-bit type, between method bits. */
export function messageType(method: number, cls: StunClass): number {
  const c = CLASS_BITS[cls];
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((c & 1) << 4) | ((c & 2) << 7);
}

export function splitMessageType(type: number): { method: number; cls: StunClass } {
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  const c = ((type >> 4) & 1) | ((type >> 7) & 2);
  return { method, cls: CLASS_OF[c] as StunClass };
}

export interface StunAttribute {
  type: number;
  value: Buffer;
}

export interface StunMessage {
  method: number;
  cls: StunClass;
  transactionId: Buffer;
  /**
   * In wire order. After MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are kept
   * (RFC 8489 §14.5: everything else that follows it is ignored).
   */
  attributes: readonly StunAttribute[];
  /** A FINGERPRINT was present (and valid: a wrong one makes the whole message undecodable). */
  fingerprint: boolean;
  /** The datagram, for integrity checks over the exact bytes. */
  raw: Buffer;
  /** Byte offset of each attribute's TLV header in `raw`, parallel to `attributes`. */
  offsets: readonly number[];
}

export function newTransactionId(): Buffer {
  return randomBytes(12);
}

/** True when a datagram starts like a STUN message (top bits zero, magic cookie): RFC 8489 §5. */
export function looksLikeStun(datagram: Buffer): boolean {
  return datagram.length >= HEADER_LENGTH && (datagram[0] as number) < 0x40 && datagram.readUInt32BE(4) === MAGIC_COOKIE;
}

/**
 * Decodes a STUN message. `undefined` for anything malformed: a length that disagrees with the
 * datagram or is not a multiple of 4, a wrong cookie, an attribute running past the end, a
 * FINGERPRINT that is not the last attribute (RFC 8489 §14.7) or whose CRC is wrong.
 */
export function decodeStunMessage(datagram: Buffer): StunMessage | undefined {
  if (!looksLikeStun(datagram)) return undefined;
  const length = datagram.readUInt16BE(2);
  if (length % 4 !== 0 || HEADER_LENGTH + length !== datagram.length) return undefined;
  const { method, cls } = splitMessageType(datagram.readUInt16BE(0));
  const attributes: StunAttribute[] = [];
  const offsets: number[] = [];
  let at = HEADER_LENGTH;
  let fingerprint = false;
  // RFC 8489 §14.5, §14.6: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT
  // count, after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT.
  let after: 'none' | 'sha1' | 'sha256' = 'none';
  let count = 0;
  while (at < datagram.length) {
    if (++count > MAX_ATTRIBUTES || fingerprint) return undefined; // FINGERPRINT must be last
    if (at + 4 > datagram.length) return undefined;
    const type = datagram.readUInt16BE(at);
    const valueLength = datagram.readUInt16BE(at + 2);
    const end = at + 4 + valueLength;
    if (end > datagram.length) return undefined;
    if (type === ATTR.FINGERPRINT) {
      if (valueLength !== 4 || end !== datagram.length) return undefined;
      const expected = (crc32(datagram.subarray(0, at)) ^ FINGERPRINT_XOR) >>> 0;
      if (datagram.readUInt32BE(at + 4) !== expected) return undefined;
      fingerprint = true;
    }
    const kept =
      after === 'none' || type === ATTR.FINGERPRINT || (after === 'sha1' && type === ATTR.MESSAGE_INTEGRITY_SHA256);
    if (kept) {
      attributes.push({ type, value: datagram.subarray(at + 4, end) });
      offsets.push(at);
      if (type === ATTR.MESSAGE_INTEGRITY && after === 'none') after = 'sha1';
      if (type === ATTR.MESSAGE_INTEGRITY_SHA256) after = 'sha256';
    }
    at = end + ((4 - (valueLength % 4)) % 4);
  }
  if (at !== datagram.length) return undefined;
  return { method, cls, transactionId: datagram.subarray(8, 20), attributes, fingerprint, raw: datagram, offsets };
}

/** The value of the first attribute of `type`. */
export function getAttribute(message: StunMessage, type: number): Buffer | undefined {
  return message.attributes.find((a) => a.type === type)?.value;
}

/**
 * Comprehension-required attributes (0x0000–0x7FFF) this codec does not know. RFC 8489 §14: a
 * client that receives a response carrying one treats the transaction as failed.
 */
export function unknownComprehensionRequired(message: StunMessage): number[] {
  return message.attributes.map((a) => a.type).filter((t) => isComprehensionRequired(t) && !isKnownAttribute(t));
}

export type IntegrityAlgorithm = 'sha1' | 'sha256';

export interface EncodeOptions {
  /** Adds MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) or MESSAGE-INTEGRITY-SHA256 (§14.6). */
  integrity?: { key: Buffer; algorithm?: IntegrityAlgorithm };
  /** Adds FINGERPRINT (RFC 8489 §14.7) as the last attribute. */
  fingerprint?: boolean;
  /** The value of padding bytes (RFC 8489 §14: any value; receivers ignore it). Default 0. */
  paddingByte?: number;
}

export function encodeStunMessage(
  method: number,
  cls: StunClass,
  transactionId: Buffer,
  attributes: readonly StunAttribute[],
  options: EncodeOptions = {},
): Buffer {
  if (transactionId.length !== 12) throw new RangeError('a STUN transaction id has 12 bytes');
  const pad = options.paddingByte ?? 0;
  const parts = attributes.map((a) => tlv(a.type, a.value, pad));
  const type = messageType(method, cls);
  if (options.integrity) {
    const algorithm = options.integrity.algorithm ?? 'sha1';
    const macLength = algorithm === 'sha1' ? 20 : 32;
    const body = Buffer.concat(parts);
    // The HMAC covers the header with a length that already counts the integrity attribute.
    const mac = createHmac(algorithm, options.integrity.key)
      .update(header(type, body.length + 4 + macLength, transactionId))
      .update(body)
      .digest();
    parts.push(tlv(algorithm === 'sha1' ? ATTR.MESSAGE_INTEGRITY : ATTR.MESSAGE_INTEGRITY_SHA256, mac, pad));
  }
  let body = Buffer.concat(parts);
  if (options.fingerprint) {
    const crc = (crc32(Buffer.concat([header(type, body.length + 8, transactionId), body])) ^ FINGERPRINT_XOR) >>> 0;
    const value = Buffer.alloc(4);
    value.writeUInt32BE(crc, 0);
    body = Buffer.concat([body, tlv(ATTR.FINGERPRINT, value, pad)]);
  }
  return Buffer.concat([header(type, body.length, transactionId), body]);
}

/**
 * Checks MESSAGE-INTEGRITY-SHA256 if present, else MESSAGE-INTEGRITY, with `key`: the HMAC covers
 * the bytes before the attribute, with the header length set to end just after it (RFC 8489 §14.5,
 * §14.6). False when neither is present or the value is wrong.
 */
export function verifyIntegrity(message: StunMessage, key: Buffer): boolean {
  const index = findLastIndex(message.attributes, (a) => a.type === ATTR.MESSAGE_INTEGRITY_SHA256);
  const at = index >= 0 ? index : message.attributes.findIndex((a) => a.type === ATTR.MESSAGE_INTEGRITY);
  if (at < 0) return false;
  const attribute = message.attributes[at] as StunAttribute;
  const offset = message.offsets[at] as number;
  const sha256 = attribute.type === ATTR.MESSAGE_INTEGRITY_SHA256;
  // SHA-256 values may be truncated to 16 bytes or more, in multiples of 4 (§14.6); SHA-1 is 20.
  if (sha256 ? attribute.value.length < 16 || attribute.value.length > 32 || attribute.value.length % 4 !== 0 : attribute.value.length !== 20) {
    return false;
  }
  const head = Buffer.from(message.raw.subarray(0, HEADER_LENGTH));
  head.writeUInt16BE(offset - HEADER_LENGTH + 4 + attribute.value.length, 2);
  const mac = createHmac(sha256 ? 'sha256' : 'sha1', key).update(head).update(message.raw.subarray(HEADER_LENGTH, offset)).digest();
  return timingSafeEqual(mac.subarray(0, attribute.value.length), attribute.value);
}

function header(type: number, length: number, transactionId: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_LENGTH);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(h, 8);
  return h;
}

function tlv(type: number, value: Buffer, paddingByte: number): Buffer {
  if (value.length > 0xffff) throw new RangeError('a STUN attribute value is at most 65535 bytes');
  const out = Buffer.alloc(4 + value.length + ((4 - (value.length % 4)) % 4), paddingByte);
  out.writeUInt16BE(type, 0);
  out.writeUInt16BE(value.length, 2);
  value.copy(out, 4);
  return out;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}

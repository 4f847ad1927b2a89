// A deliberately tiny STUN codec for the lab's own tools (readiness pings, the hostile responder).
// It is independent of src/core/stun on purpose: the lab must not trust the code it tests.
// RFC 5389 §6 (header), §15.1/15.2 (MAPPED / XOR-MAPPED-ADDRESS), RFC 5780 §7.2 (CHANGE-REQUEST).
import { randomBytes } from 'node:crypto';

export const MAGIC_COOKIE = 0x2112a442;
export const BINDING_REQUEST = 0x0001;
export const BINDING_SUCCESS = 0x0101;
export const ATTR = {
  MAPPED_ADDRESS: 0x0001,
  CHANGE_REQUEST: 0x0003,
  CHANGED_ADDRESS: 0x0005,
  XOR_MAPPED_ADDRESS: 0x0020,
  SOFTWARE: 0x8022,
  RESPONSE_ORIGIN: 0x802b,
  OTHER_ADDRESS: 0x802c,
} as const;

export interface StunAddress {
  address: string;
  port: number;
}

export interface StunMessage {
  type: number;
  transactionId: Buffer;
  /** Attribute type → raw value (first occurrence). */
  attributes: Map<number, Buffer>;
}

export function newTransactionId(): Buffer {
  return randomBytes(12);
}

function attribute(type: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  const padding = Buffer.alloc((4 - (value.length % 4)) % 4);
  return Buffer.concat([header, value, padding]);
}

export function encodeMessage(type: number, transactionId: Buffer, attributes: Buffer[] = []): Buffer {
  const body = Buffer.concat(attributes);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(body.length, 2);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(header, 8);
  return Buffer.concat([header, body]);
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
  const parts = address.split('.').map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not IPv4: ${address}`);
  return Buffer.from(parts);
}

/** XOR-MAPPED-ADDRESS (IPv4) value. */
export function xorMappedAddress(addr: StunAddress): Buffer {
  const value = Buffer.alloc(8);
  value.writeUInt8(0, 0);
  value.writeUInt8(1, 1);
  value.writeUInt16BE(addr.port ^ (MAGIC_COOKIE >>> 16), 2);
  const ip = ipv4Bytes(addr.address).readUInt32BE(0);
  value.writeUInt32BE((ip ^ MAGIC_COOKIE) >>> 0, 4);
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

/** A Binding Success Response carrying XOR-MAPPED-ADDRESS (and optional extra attributes). */
export function bindingSuccess(
  transactionId: Buffer,
  mapped: StunAddress,
  extra: { otherAddress?: StunAddress; responseOrigin?: StunAddress; software?: string } = {},
): Buffer {
  const attrs = [attribute(ATTR.XOR_MAPPED_ADDRESS, xorMappedAddress(mapped))];
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
  let offset = 20;
  while (offset + 4 <= packet.length) {
    const type = packet.readUInt16BE(offset);
    const len = packet.readUInt16BE(offset + 2);
    const end = offset + 4 + len;
    if (end > packet.length) return undefined;
    if (!attributes.has(type)) attributes.set(type, packet.subarray(offset + 4, end));
    offset = end + ((4 - (len % 4)) % 4);
  }
  return { type: packet.readUInt16BE(0), transactionId: Buffer.from(packet.subarray(8, 20)), attributes };
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

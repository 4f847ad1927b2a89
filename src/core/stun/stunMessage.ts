// STUN Binding messages for NAT behaviour discovery: what we send (RFC 5389 §6 with the RFC 5780
// CHANGE-REQUEST and RESPONSE-PORT attributes) and the typed, validated view of what comes back.
// @msimerson/stun is the codec; this module adds the checks a diagnostic tool needs and reads the
// RFC 3489 attributes (CHANGED-ADDRESS, SOURCE-ADDRESS) the codec leaves raw.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import * as stun from '@msimerson/stun';
import { crc32 } from './crc32';

export const MAGIC_COOKIE = 0x2112a442;
const HEADER_LENGTH = 20;
/** Larger than any Binding response a server sends; bigger datagrams are not STUN for us. */
export const MAX_STUN_RESPONSE = 1500;

export const BINDING_REQUEST = 0x0001;
export const BINDING_SUCCESS = 0x0101;
export const BINDING_ERROR = 0x0111;

export const ATTR = {
  MAPPED_ADDRESS: 0x0001,
  CHANGE_REQUEST: 0x0003,
  SOURCE_ADDRESS: 0x0004, // RFC 3489; RESPONSE-ORIGIN's ancestor
  CHANGED_ADDRESS: 0x0005, // RFC 3489; OTHER-ADDRESS's ancestor
  ERROR_CODE: 0x0009,
  XOR_MAPPED_ADDRESS: 0x0020,
  RESPONSE_PORT: 0x0027,
  SOFTWARE: 0x8022,
  FINGERPRINT: 0x8028,
  RESPONSE_ORIGIN: 0x802b,
  OTHER_ADDRESS: 0x802c,
} as const;

// RFC 5780 §7.2: bit A (0x4) asks for a reply from the other IP, bit B (0x2) from the other port.
const CHANGE_IP = 0x4;
const CHANGE_PORT = 0x2;
const FINGERPRINT_XOR = 0x5354554e;

export interface StunAddress {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export interface BindingRequestOptions {
  transactionId?: Buffer;
  changeIp?: boolean;
  changePort?: boolean;
  /** RFC 5780 §7.5: ask the server to answer to this port instead (binding-lifetime test). */
  responsePort?: number;
}

export function newTransactionId(): Buffer {
  return randomBytes(12);
}

export function encodeBindingRequest(options: BindingRequestOptions = {}): { transactionId: Buffer; packet: Buffer } {
  const transactionId = options.transactionId ?? newTransactionId();
  const message = stun.createMessage(BINDING_REQUEST, transactionId);
  const flags = (options.changeIp ? CHANGE_IP : 0) | (options.changePort ? CHANGE_PORT : 0);
  // Always present when either flag is wanted; an all-zero CHANGE-REQUEST is legal but pointless.
  if (flags !== 0) message.addAttribute(ATTR.CHANGE_REQUEST, flags);
  if (options.responsePort !== undefined) message.addAttribute(ATTR.RESPONSE_PORT, options.responsePort);
  // FINGERPRINT lets servers that multiplex STUN with other traffic (TURN, ICE) tell ours apart.
  message.addFingerprint();
  return { transactionId, packet: message.toBuffer() };
}

/** The validated content of a Binding response. Addresses are absent when the server omitted them. */
export interface BindingResponse {
  kind: 'success' | 'error';
  transactionId: Buffer;
  xorMappedAddress?: StunAddress;
  /** Plain MAPPED-ADDRESS: differs from XOR-MAPPED when an ALG rewrote the packet (RFC 5780 §3.6). */
  mappedAddress?: StunAddress;
  /** OTHER-ADDRESS, or RFC 3489 CHANGED-ADDRESS from classic servers. */
  otherAddress?: StunAddress;
  /** RESPONSE-ORIGIN, or RFC 3489 SOURCE-ADDRESS. */
  responseOrigin?: StunAddress;
  software?: string;
  errorCode?: number;
  errorReason?: string;
}

/**
 * Decodes a datagram as a Binding response. Anything malformed, truncated, oversized, of another
 * method, or with a wrong FINGERPRINT gives `null`: hostile input is dropped, never thrown.
 */
export function decodeBindingResponse(packet: Buffer): BindingResponse | null {
  if (packet.length < HEADER_LENGTH || packet.length > MAX_STUN_RESPONSE) return null;
  const type = packet.readUInt16BE(0);
  const length = packet.readUInt16BE(2);
  // RFC 5389 §6: top two bits zero, length counts attributes only and is a multiple of 4.
  if ((type & 0xc000) !== 0 || length !== packet.length - HEADER_LENGTH || length % 4 !== 0) return null;
  if (packet.readUInt32BE(4) !== MAGIC_COOKIE) return null;
  if (type !== BINDING_SUCCESS && type !== BINDING_ERROR) return null;
  if (!fingerprintValidIfPresent(packet)) return null;

  let message: stun.StunMessage;
  try {
    message = stun.decode(packet);
  } catch {
    return null;
  }
  try {
    const response: BindingResponse = {
      kind: type === BINDING_SUCCESS ? 'success' : 'error',
      transactionId: Buffer.from(packet.subarray(8, 20)),
    };
    const xorMapped = xorAddressValue(packet, message);
    if (xorMapped) response.xorMappedAddress = xorMapped;
    const mapped = addressValue(message, ATTR.MAPPED_ADDRESS);
    if (mapped) response.mappedAddress = mapped;
    const other = addressValue(message, ATTR.OTHER_ADDRESS) ?? legacyAddressValue(message, ATTR.CHANGED_ADDRESS);
    if (other) response.otherAddress = other;
    const origin = addressValue(message, ATTR.RESPONSE_ORIGIN) ?? legacyAddressValue(message, ATTR.SOURCE_ADDRESS);
    if (origin) response.responseOrigin = origin;
    const software = message.getAttribute(ATTR.SOFTWARE)?.value;
    if (Buffer.isBuffer(software)) response.software = printable(software.toString('utf8'), 128);
    const error = message.getAttribute(ATTR.ERROR_CODE)?.value;
    if (isErrorValue(error)) {
      response.errorCode = error.code;
      response.errorReason = printable(error.reason, 128);
    }
    if (response.kind === 'error' && response.errorCode === undefined) return null;
    return response;
  } catch {
    return null;
  }
}

function fingerprintValidIfPresent(packet: Buffer): boolean {
  // FINGERPRINT, when present, is the last attribute (RFC 5389 §15.5).
  if (packet.length < HEADER_LENGTH + 8) return true;
  const at = packet.length - 8;
  if (packet.readUInt16BE(at) !== ATTR.FINGERPRINT || packet.readUInt16BE(at + 2) !== 4) return true;
  const expected = (crc32(packet.subarray(0, at)) ^ FINGERPRINT_XOR) >>> 0;
  return packet.readUInt32BE(at + 4) === expected;
}

function addressValue(message: stun.StunMessage, type: number): StunAddress | undefined {
  const value = message.getAttribute(type)?.value;
  if (typeof value !== 'object' || value === null) return undefined;
  const { address, port, family } = value as { address?: unknown; port?: unknown; family?: unknown };
  if (typeof address !== 'string' || typeof port !== 'number' || isIP(address) === 0) return undefined;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  return { address, port, family: family === 'IPv6' || isIP(address) === 6 ? 'IPv6' : 'IPv4' };
}

/**
 * XOR-MAPPED-ADDRESS (RFC 5389 §15.2). The codec decodes IPv4 right but XORs IPv6 addresses with
 * an all-zero transaction id (it parses attributes before it stores the header), so IPv6 is read
 * here from the raw attribute.
 */
function xorAddressValue(packet: Buffer, message: stun.StunMessage): StunAddress | undefined {
  const raw = rawAttribute(packet, ATTR.XOR_MAPPED_ADDRESS);
  if (!raw || raw[1] !== 2) return addressValue(message, ATTR.XOR_MAPPED_ADDRESS);
  if (raw.length !== 20) return undefined;
  const key = packet.subarray(4, 20); // magic cookie ‖ transaction id
  const plain = Buffer.from(raw);
  plain.writeUInt16BE(raw.readUInt16BE(2) ^ 0x2112, 2);
  for (let i = 0; i < 16; i++) plain[4 + i] = (raw[4 + i] as number) ^ (key[i] as number);
  return parseAddressBytes(plain);
}

/** The value of the first attribute of `type`, walking the TLVs of an already length-checked message. */
function rawAttribute(packet: Buffer, type: number): Buffer | undefined {
  let at = HEADER_LENGTH;
  while (at + 4 <= packet.length) {
    const attrType = packet.readUInt16BE(at);
    const length = packet.readUInt16BE(at + 2);
    if (at + 4 + length > packet.length) return undefined;
    if (attrType === type) return packet.subarray(at + 4, at + 4 + length);
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
  return undefined;
}

/** RFC 3489 §11.2.1 address layout: 0, family, port, address — the codec leaves these raw. */
function legacyAddressValue(message: stun.StunMessage, type: number): StunAddress | undefined {
  const raw = message.getAttribute(type)?.value;
  if (!Buffer.isBuffer(raw)) return undefined;
  return parseAddressBytes(raw);
}

export function parseAddressBytes(raw: Buffer): StunAddress | undefined {
  if (raw.length < 8) return undefined;
  const family = raw[1];
  const port = raw.readUInt16BE(2);
  if (family === 1 && raw.length === 8) {
    return { address: Array.from(raw.subarray(4, 8)).join('.'), port, family: 'IPv4' };
  }
  if (family === 2 && raw.length === 20) {
    const groups: string[] = [];
    for (let i = 4; i < 20; i += 2) groups.push(raw.readUInt16BE(i).toString(16));
    return { address: compressIpv6(groups), port, family: 'IPv6' };
  }
  return undefined;
}

function compressIpv6(groups: string[]): string {
  // Canonical text form (RFC 5952): the longest run of two or more zero groups becomes "::".
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

function isErrorValue(value: unknown): value is { code: number; reason: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { code, reason } = value as { code?: unknown; reason?: unknown };
  return typeof code === 'number' && typeof reason === 'string';
}

/** Strings from the network are shown to people: keep them short and free of control characters. */
function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, max);
}

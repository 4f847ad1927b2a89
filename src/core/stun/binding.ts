// Binding requests for NAT behaviour discovery (RFC 8489 §6 with the RFC 5780 CHANGE-REQUEST,
// RESPONSE-PORT and PADDING attributes) and the typed, validated view of a Binding response.
import { printable } from '../net/printable';
import { ATTR, decodeAddress, decodeErrorCode, decodeXorAddress, encodeChangeRequest, encodeResponsePort, type StunAddress } from './stunAttributes';
import {
  METHOD,
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  newTransactionId,
  unknownComprehensionRequired,
  type StunAttribute,
} from './stunMessage';

/** Larger than any plain Binding response; a bigger datagram is not an answer to a plain request. */
export const MAX_BINDING_RESPONSE = 1500;

export interface BindingRequestOptions {
  transactionId?: Buffer;
  changeIp?: boolean;
  changePort?: boolean;
  /** RFC 5780 §7.5: ask the server to answer to this port instead (binding-lifetime test). */
  responsePort?: number;
  /** RFC 5780 §7.6: pad the request with this many bytes (path MTU). */
  paddingBytes?: number;
  /** Attributes to add before FINGERPRINT (e.g. USERNAME for an authenticated check). */
  extra?: readonly StunAttribute[];
  /** MESSAGE-INTEGRITY with this key (short-term credential, RFC 8489 §9.1). */
  integrityKey?: Buffer;
}

export function encodeBindingRequest(options: BindingRequestOptions = {}): { transactionId: Buffer; packet: Buffer } {
  const transactionId = options.transactionId ?? newTransactionId();
  const attributes: StunAttribute[] = [];
  // Only when a flag is wanted: an all-zero CHANGE-REQUEST is legal but pointless.
  if (options.changeIp || options.changePort) {
    attributes.push({ type: ATTR.CHANGE_REQUEST, value: encodeChangeRequest({ ip: options.changeIp ?? false, port: options.changePort ?? false }) });
  }
  if (options.responsePort !== undefined) attributes.push({ type: ATTR.RESPONSE_PORT, value: encodeResponsePort(options.responsePort) });
  if (options.paddingBytes !== undefined && options.paddingBytes > 0) attributes.push({ type: ATTR.PADDING, value: Buffer.alloc(options.paddingBytes) });
  if (options.extra) attributes.push(...options.extra);
  // FINGERPRINT lets servers that multiplex STUN with other traffic (TURN, ICE) tell ours apart.
  const packet = encodeStunMessage(METHOD.binding, 'request', transactionId, attributes, {
    fingerprint: true,
    ...(options.integrityKey ? { integrity: { key: options.integrityKey } } : {}),
  });
  return { transactionId, packet };
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
  /**
   * Comprehension-required attributes we do not understand. RFC 8489 §14: the transaction has
   * failed; callers count such a response as no answer and say why.
   */
  unknownAttributes?: number[];
}

/**
 * Decodes a datagram as a Binding response. Anything malformed, truncated, larger than `maxBytes`,
 * of another method or class, or with a wrong or misplaced FINGERPRINT gives `null`: hostile input
 * is dropped, never thrown.
 */
export function decodeBindingResponse(datagram: Buffer, maxBytes = MAX_BINDING_RESPONSE): BindingResponse | null {
  if (datagram.length > maxBytes) return null;
  const message = decodeStunMessage(datagram);
  if (!message || message.method !== METHOD.binding || (message.cls !== 'success' && message.cls !== 'error')) return null;
  const response: BindingResponse = { kind: message.cls, transactionId: Buffer.from(message.transactionId) };
  const xor = getAttribute(message, ATTR.XOR_MAPPED_ADDRESS);
  const xorMapped = xor ? decodeXorAddress(xor, message.transactionId) : undefined;
  if (xorMapped) response.xorMappedAddress = xorMapped;
  const mapped = addressOf(message, ATTR.MAPPED_ADDRESS);
  if (mapped) response.mappedAddress = mapped;
  const other = addressOf(message, ATTR.OTHER_ADDRESS) ?? addressOf(message, ATTR.CHANGED_ADDRESS);
  if (other) response.otherAddress = other;
  const origin = addressOf(message, ATTR.RESPONSE_ORIGIN) ?? addressOf(message, ATTR.SOURCE_ADDRESS);
  if (origin) response.responseOrigin = origin;
  const software = getAttribute(message, ATTR.SOFTWARE);
  if (software) response.software = printable(software.toString('utf8'), 128);
  const errorValue = getAttribute(message, ATTR.ERROR_CODE);
  const error = errorValue ? decodeErrorCode(errorValue) : undefined;
  if (error) {
    response.errorCode = error.code;
    response.errorReason = error.reason;
  }
  if (response.kind === 'error' && response.errorCode === undefined) return null;
  const unknown = unknownComprehensionRequired(message);
  if (unknown.length > 0) response.unknownAttributes = unknown;
  return response;
}

/** The address a success response reports for us: XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS. */
export function mappedAddressOf(response: BindingResponse): StunAddress | undefined {
  return response.xorMappedAddress ?? response.mappedAddress;
}

/** "0x7777, 0x7f00": attribute types as people read them in RFCs. */
export function describeAttributeTypes(types: readonly number[]): string {
  return types.map((t) => `0x${t.toString(16).padStart(4, '0')}`).join(', ');
}

function addressOf(message: Parameters<typeof getAttribute>[0], type: number): StunAddress | undefined {
  const value = getAttribute(message, type);
  return value ? decodeAddress(value) : undefined;
}

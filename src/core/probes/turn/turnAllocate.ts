// TURN Allocate with long-term credentials and its release (RFC 8656 §7, RFC 5389 §10.2):
//   1. Allocate without credentials → 401 Unauthorized carrying REALM and NONCE;
//   2. Allocate with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY → success with XOR-RELAYED-ADDRESS
//      (or 438 Stale Nonce: retry once with the new nonce);
//   3. Refresh with LIFETIME 0 → the relay is released at once (RFC 8656 §7.3).
import {
  Attr,
  MessageType,
  attribute,
  decodeErrorCode,
  decodeStun,
  decodeXorAddress,
  encodeStun,
  uint32Attribute,
  utf8Attribute,
  verifyMessageIntegrity,
  type StunAddress,
  type StunAttribute,
} from './stunMessage';

/** RFC 8656 §14.7 REQUESTED-TRANSPORT: protocol number in the first byte, 17 = UDP. */
const REQUESTED_TRANSPORT_UDP: StunAttribute = { type: Attr.requestedTransport, value: Buffer.from([17, 0, 0, 0]) };

export interface LongTermAuth {
  username: string;
  realm: string;
  nonce: Buffer;
  /** MD5(username:realm:password); a secret. */
  key: Buffer;
}

function authAttributes(auth: LongTermAuth): StunAttribute[] {
  return [utf8Attribute(Attr.username, auth.username), utf8Attribute(Attr.realm, auth.realm), { type: Attr.nonce, value: auth.nonce }];
}

export function buildAllocate(transactionId: Buffer, auth?: LongTermAuth): Buffer {
  if (!auth) return encodeStun(MessageType.allocateRequest, transactionId, [REQUESTED_TRANSPORT_UDP], { fingerprint: true });
  return encodeStun(MessageType.allocateRequest, transactionId, [REQUESTED_TRANSPORT_UDP, ...authAttributes(auth)], {
    integrityKey: auth.key,
    fingerprint: true,
  });
}

/** Refresh with LIFETIME 0 deletes the allocation (RFC 8656 §7.3). */
export function buildRelease(transactionId: Buffer, auth: LongTermAuth): Buffer {
  return encodeStun(MessageType.refreshRequest, transactionId, [uint32Attribute(Attr.lifetime, 0), ...authAttributes(auth)], {
    integrityKey: auth.key,
    fingerprint: true,
  });
}

export type AllocateAnswer =
  | { kind: 'success'; relayed: StunAddress; mapped?: StunAddress; lifetimeSec?: number; integrityOk: boolean }
  /** 401 (or 438) with the realm and nonce to authenticate with. */
  | { kind: 'challenge'; code: number; realm: string; nonce: Buffer }
  | { kind: 'error'; code: number; reason: string };

/** Reads an Allocate answer matching `transactionId`; undefined for anything else. */
export function parseAllocateAnswer(buf: Uint8Array, transactionId: Buffer, key?: Buffer): AllocateAnswer | undefined {
  const msg = decodeStun(buf);
  if (!msg || !msg.transactionId.equals(transactionId)) return undefined;
  if (msg.type === MessageType.allocateSuccess) {
    const relayedValue = attribute(msg, Attr.xorRelayedAddress);
    const relayed = relayedValue ? decodeXorAddress(relayedValue, msg.transactionId) : undefined;
    if (!relayed) return undefined;
    const answer: AllocateAnswer = { kind: 'success', relayed, integrityOk: key ? verifyMessageIntegrity(msg, key) : false };
    const mappedValue = attribute(msg, Attr.xorMappedAddress);
    const mapped = mappedValue ? decodeXorAddress(mappedValue, msg.transactionId) : undefined;
    if (mapped) answer.mapped = mapped;
    const lifetime = attribute(msg, Attr.lifetime);
    if (lifetime?.length === 4) answer.lifetimeSec = lifetime.readUInt32BE(0);
    return answer;
  }
  if (msg.type === MessageType.allocateError) {
    const errorValue = attribute(msg, Attr.errorCode);
    const error = errorValue ? decodeErrorCode(errorValue) : undefined;
    if (!error) return undefined;
    const realm = attribute(msg, Attr.realm);
    const nonce = attribute(msg, Attr.nonce);
    if ((error.code === 401 || error.code === 438) && realm && nonce) {
      return { kind: 'challenge', code: error.code, realm: realm.toString('utf8'), nonce };
    }
    return { kind: 'error', code: error.code, reason: error.reason };
  }
  return undefined;
}

/** True for a Refresh answer (success or error) to `transactionId`: the release was heard. */
export function parseRefreshAnswer(buf: Uint8Array, transactionId: Buffer): { ok: boolean; code?: number } | undefined {
  const msg = decodeStun(buf);
  if (!msg || !msg.transactionId.equals(transactionId)) return undefined;
  if (msg.type === MessageType.refreshSuccess) return { ok: true };
  if (msg.type === MessageType.refreshError) {
    const errorValue = attribute(msg, Attr.errorCode);
    const error = errorValue ? decodeErrorCode(errorValue) : undefined;
    return error ? { ok: false, code: error.code } : { ok: false };
  }
  return undefined;
}

/** A Binding Request (RFC 5389 §7.1) with FINGERPRINT, for the plain stun probe. */
export function buildBindingRequest(transactionId: Buffer): Buffer {
  return encodeStun(MessageType.bindingRequest, transactionId, [], { fingerprint: true });
}

/** The mapped address of a Binding success to `transactionId`; undefined for anything else. */
export function parseBindingAnswer(buf: Uint8Array, transactionId: Buffer): { mapped?: StunAddress; software?: string } | { errorCode: number } | undefined {
  const msg = decodeStun(buf);
  if (!msg || !msg.transactionId.equals(transactionId)) return undefined;
  if (msg.type === MessageType.bindingError) {
    const value = attribute(msg, Attr.errorCode);
    const err = value ? decodeErrorCode(value) : undefined;
    return err ? { errorCode: err.code } : undefined;
  }
  if (msg.type !== MessageType.bindingSuccess) return undefined;
  const out: { mapped?: StunAddress; software?: string } = {};
  const xor = attribute(msg, Attr.xorMappedAddress);
  const mapped = xor ? decodeXorAddress(xor, msg.transactionId) : undefined;
  if (mapped) out.mapped = mapped;
  const software = attribute(msg, Attr.software);
  if (software) out.software = software.toString('utf8').replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
  return out;
}

// TURN Allocate with long-term credentials and its release (RFC 8656 §7, RFC 8489 §9.2), built on
// the one STUN codec:
//   1. Allocate without credentials → 401 Unauthorized carrying REALM and NONCE;
//   2. Allocate with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY → success with XOR-RELAYED-ADDRESS
//      (or 438 Stale Nonce: retry once with the new nonce);
//   3. Refresh with LIFETIME 0 → the relay is released at once (RFC 8656 §7.3).
import { ATTR, decodeErrorCode, decodeUint32, decodeXorAddress, uint32Value, type StunAddress } from '../../stun/stunAttributes';
import { METHOD, decodeStunMessage, encodeStunMessage, getAttribute, verifyIntegrity, type StunAttribute } from '../../stun/stunMessage';

/** RFC 8656 §18.4 REQUESTED-TRANSPORT: protocol number in the first byte, 17 = UDP. */
const REQUESTED_TRANSPORT_UDP: StunAttribute = { type: ATTR.REQUESTED_TRANSPORT, value: Buffer.from([17, 0, 0, 0]) };

export interface LongTermAuth {
  username: string;
  realm: string;
  nonce: Buffer;
  /** MD5(username:realm:password); a secret. */
  key: Buffer;
}

function authAttributes(auth: LongTermAuth): StunAttribute[] {
  return [
    { type: ATTR.USERNAME, value: Buffer.from(auth.username, 'utf8') },
    { type: ATTR.REALM, value: Buffer.from(auth.realm, 'utf8') },
    { type: ATTR.NONCE, value: auth.nonce },
  ];
}

export function buildAllocate(transactionId: Buffer, auth?: LongTermAuth): Buffer {
  if (!auth) return encodeStunMessage(METHOD.allocate, 'request', transactionId, [REQUESTED_TRANSPORT_UDP], { fingerprint: true });
  return encodeStunMessage(METHOD.allocate, 'request', transactionId, [REQUESTED_TRANSPORT_UDP, ...authAttributes(auth)], {
    integrity: { key: auth.key },
    fingerprint: true,
  });
}

/** Refresh with LIFETIME 0 deletes the allocation (RFC 8656 §7.3). */
export function buildRelease(transactionId: Buffer, auth: LongTermAuth): Buffer {
  return encodeStunMessage(METHOD.refresh, 'request', transactionId, [{ type: ATTR.LIFETIME, value: uint32Value(0) }, ...authAttributes(auth)], {
    integrity: { key: auth.key },
    fingerprint: true,
  });
}

export type AllocateAnswer =
  | { kind: 'success'; relayed: StunAddress; mapped?: StunAddress; lifetimeSec?: number; integrityOk: boolean }
  /** 401 (or 438) with the realm and nonce to authenticate with. */
  | { kind: 'challenge'; code: number; realm: string; nonce: Buffer }
  | { kind: 'error'; code: number; reason: string };

/** Reads an Allocate answer matching `transactionId`; undefined for anything else. */
export function parseAllocateAnswer(datagram: Buffer, transactionId: Buffer, key?: Buffer): AllocateAnswer | undefined {
  const message = decodeStunMessage(datagram);
  if (!message || message.method !== METHOD.allocate || !message.transactionId.equals(transactionId)) return undefined;
  if (message.cls === 'success') {
    const relayedValue = getAttribute(message, ATTR.XOR_RELAYED_ADDRESS);
    const relayed = relayedValue ? decodeXorAddress(relayedValue, message.transactionId) : undefined;
    if (!relayed) return undefined;
    const answer: AllocateAnswer = { kind: 'success', relayed, integrityOk: key ? verifyIntegrity(message, key) : false };
    const mappedValue = getAttribute(message, ATTR.XOR_MAPPED_ADDRESS);
    const mapped = mappedValue ? decodeXorAddress(mappedValue, message.transactionId) : undefined;
    if (mapped) answer.mapped = mapped;
    const lifetime = decodeUint32(getAttribute(message, ATTR.LIFETIME));
    if (lifetime !== undefined) answer.lifetimeSec = lifetime;
    return answer;
  }
  if (message.cls === 'error') {
    const errorValue = getAttribute(message, ATTR.ERROR_CODE);
    const error = errorValue ? decodeErrorCode(errorValue) : undefined;
    if (!error) return undefined;
    const realm = getAttribute(message, ATTR.REALM);
    const nonce = getAttribute(message, ATTR.NONCE);
    if ((error.code === 401 || error.code === 438) && realm && nonce) {
      return { kind: 'challenge', code: error.code, realm: realm.toString('utf8'), nonce: Buffer.from(nonce) };
    }
    return { kind: 'error', code: error.code, reason: error.reason };
  }
  return undefined;
}

/** A Refresh answer (success or error) to `transactionId`: the release was heard. */
export function parseRefreshAnswer(datagram: Buffer, transactionId: Buffer): { ok: boolean; code?: number } | undefined {
  const message = decodeStunMessage(datagram);
  if (!message || message.method !== METHOD.refresh || !message.transactionId.equals(transactionId)) return undefined;
  if (message.cls === 'success') return { ok: true };
  if (message.cls === 'error') {
    const errorValue = getAttribute(message, ATTR.ERROR_CODE);
    const error = errorValue ? decodeErrorCode(errorValue) : undefined;
    return error ? { ok: false, code: error.code } : { ok: false };
  }
  return undefined;
}

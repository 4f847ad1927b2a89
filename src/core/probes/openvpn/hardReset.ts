// OpenVPN P_CONTROL_HARD_RESET_CLIENT_V2, the first packet of every session, in its three
// wrappings: plain, tls-auth (HMAC firewall) and tls-crypt (OpenVPN ssl_pkt.c,
// tls_crypt.c, reliable.c). A 2.6 server answers the first reset statelessly with
// P_CONTROL_HARD_RESET_SERVER_V2, which is all the probe needs.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { equalBytes, slice, u16 } from '../bytes';
import { directionalKeys, type KeyDirection } from './staticKey';

/** ssl_pkt.h opcodes; the first byte is `opcode << 3 | key_id`. */
export const Opcode = {
  hardResetClientV2: 7,
  hardResetServerV2: 8,
  /** tls-crypt-v2: the client's first packet carries its wrapped key (WKc) at the end. */
  hardResetClientV3: 10,
  controlV1: 4,
  ackV1: 5,
} as const;

export type HmacDigest = 'sha1' | 'sha256' | 'sha512';
export const DIGEST_LENGTH: Record<HmacDigest, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** tls_crypt.h TLS_CRYPT_TAG_SIZE. */
const TLS_CRYPT_TAG_SIZE = 32;

export type ControlWrapping =
  | { kind: 'plain' }
  | { kind: 'tls-auth'; key: Buffer; direction: KeyDirection; digest: HmacDigest }
  | { kind: 'tls-crypt'; key: Buffer }
  /** Kc is used exactly like a tls-crypt key; `wkc` is appended to the reset (tls_crypt.c). */
  | { kind: 'tls-crypt-v2'; key: Buffer; wkc: Buffer };

export interface HardResetFields {
  sessionId: Uint8Array;
  /** Replay packet-id: 1 for the first packet (packet_id_send_update increments before writing). */
  replayPacketId?: number;
  /** Unix seconds for the replay protection (`htontime(now)`). */
  time: number;
}

function opByte(opcode: number, keyId = 0): number {
  return (opcode << 3) | (keyId & 7);
}

/** `ack_count(1)=0 | msg packet-id(4)=0`, the reliability header of a first control packet. */
function reliableHeader(): Buffer {
  return Buffer.alloc(5);
}

function replayHeader(pid: number, time: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(pid >>> 0, 0);
  b.writeUInt32BE(time >>> 0, 4);
  return b;
}

/** tls-crypt uses cipher[0:32] for AES-256-CTR and hmac[0:32] for HMAC-SHA256; a client is "inverse" (direction 1). */
function tlsCryptKeys(key: Buffer, role: 'client' | 'server'): { sendCipher: Buffer; sendHmac: Buffer; receiveCipher: Buffer; receiveHmac: Buffer } {
  const k = directionalKeys(key, role === 'client' ? 1 : 0);
  return {
    sendCipher: k.sendCipher.subarray(0, 32),
    sendHmac: k.sendHmac.subarray(0, 32),
    receiveCipher: k.receiveCipher.subarray(0, 32),
    receiveHmac: k.receiveHmac.subarray(0, 32),
  };
}

/** Builds a client hard reset (key_id 0, no TLS payload) in the given wrapping. */
export function buildHardResetClient(fields: HardResetFields, wrapping: ControlWrapping): Buffer {
  if (fields.sessionId.length !== 8) throw new RangeError('session id must be 8 bytes');
  const op = Buffer.from([opByte(wrapping.kind === 'tls-crypt-v2' ? Opcode.hardResetClientV3 : Opcode.hardResetClientV2)]);
  const sid = Buffer.from(fields.sessionId);
  const plaintext = reliableHeader();
  if (wrapping.kind === 'plain') return Buffer.concat([op, sid, plaintext]);
  const replay = replayHeader(fields.replayPacketId ?? 1, fields.time);
  if (wrapping.kind === 'tls-auth') {
    // ssl_pkt.c: HMAC over replay ‖ op ‖ sid ‖ reliable header ‖ payload, placed after sid.
    const h = DIGEST_LENGTH[wrapping.digest];
    const key = directionalKeys(wrapping.key, wrapping.direction).sendHmac.subarray(0, h);
    const mac = createHmac(wrapping.digest, key).update(replay).update(op).update(sid).update(plaintext).digest();
    return Buffer.concat([op, sid, mac, replay, plaintext]);
  }
  // tls_crypt.c tls_crypt_wrap: tag = HMAC-SHA256(op ‖ sid ‖ replay ‖ plaintext), IV = tag[0:16].
  const k = tlsCryptKeys(wrapping.key, 'client');
  const tag = createHmac('sha256', k.sendHmac).update(op).update(sid).update(replay).update(plaintext).digest();
  const c = createCipheriv('aes-256-ctr', k.sendCipher, tag.subarray(0, 16));
  const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
  // ssl_pkt.c write_control_auth: a V3 reset ends with the wrapped client key, outside the tag.
  return Buffer.concat([op, sid, replay, tag, ciphertext, ...(wrapping.kind === 'tls-crypt-v2' ? [wrapping.wkc] : [])]);
}

export interface HardResetServerReply {
  opcode: number;
  keyId: number;
  serverSessionId: Buffer;
  /** The session id the server acknowledged: ours, when the reply is to our probe. */
  ackedSessionId?: Buffer;
  ackedPacketIds: number[];
}

/** At most this many ACKs in one packet (reliable.h RELIABLE_ACK_SIZE is 8). */
const MAX_ACKS = 8;

/** Parses the reliability layer (`ack_count | acks | [remote sid] | msg pid | payload`). */
function parseReliable(plain: Buffer): { acks: number[]; remoteSid?: Buffer } | undefined {
  const count = plain[0];
  if (count === undefined || count > MAX_ACKS) return undefined;
  const acks: number[] = [];
  for (let i = 0; i < count; i++) {
    const hi = u16(plain, 1 + i * 4);
    const lo = u16(plain, 3 + i * 4);
    if (hi === undefined || lo === undefined) return undefined;
    acks.push(hi * 65536 + lo);
  }
  let offset = 1 + count * 4;
  let remoteSid: Buffer | undefined;
  if (count > 0) {
    remoteSid = slice(plain, offset, 8);
    if (!remoteSid) return undefined;
    offset += 8;
  }
  // The message packet-id of a server hard reset must be present.
  if (offset + 4 > plain.length) return undefined;
  return remoteSid ? { acks, remoteSid } : { acks };
}

/**
 * Unwraps and checks a server hard reset. Undefined for anything else: wrong opcode, a MAC that does
 * not verify with our key, truncated or hostile bytes. A server reset that acknowledges another
 * session id is also dropped when `ourSessionId` is given.
 */
export function parseHardResetServer(buf: Uint8Array, wrapping: ControlWrapping, ourSessionId?: Uint8Array): HardResetServerReply | undefined {
  const first = buf[0];
  if (first === undefined) return undefined;
  const opcode = first >> 3;
  const keyId = first & 7;
  if (opcode !== Opcode.hardResetServerV2) return undefined;
  const op = Buffer.from([first]);
  const sid = slice(buf, 1, 8);
  if (!sid) return undefined;
  let plain: Buffer | undefined;
  if (wrapping.kind === 'plain') {
    plain = slice(buf, 9, buf.length - 9);
  } else if (wrapping.kind === 'tls-auth') {
    const h = DIGEST_LENGTH[wrapping.digest];
    const mac = slice(buf, 9, h);
    const replay = slice(buf, 9 + h, 8);
    const rest = slice(buf, 17 + h, buf.length - 17 - h);
    if (!mac || !replay || !rest) return undefined;
    const key = directionalKeys(wrapping.key, wrapping.direction).receiveHmac.subarray(0, h);
    const expected = createHmac(wrapping.digest, key).update(replay).update(op).update(sid).update(rest).digest();
    if (!equalBytes(mac, expected)) return undefined;
    plain = rest;
  } else {
    const replay = slice(buf, 9, 8);
    const tag = slice(buf, 17, TLS_CRYPT_TAG_SIZE);
    const ciphertext = slice(buf, 17 + TLS_CRYPT_TAG_SIZE, buf.length - 17 - TLS_CRYPT_TAG_SIZE);
    if (!replay || !tag || !ciphertext) return undefined;
    const k = tlsCryptKeys(wrapping.key, 'client');
    const d = createDecipheriv('aes-256-ctr', k.receiveCipher, tag.subarray(0, 16));
    const decrypted = Buffer.concat([d.update(ciphertext), d.final()]);
    const expected = createHmac('sha256', k.receiveHmac).update(op).update(sid).update(replay).update(decrypted).digest();
    if (!equalBytes(tag, expected)) return undefined;
    plain = decrypted;
  }
  if (!plain) return undefined;
  const reliable = parseReliable(plain);
  if (!reliable) return undefined;
  if (ourSessionId && (!reliable.remoteSid || !reliable.remoteSid.equals(Buffer.from(ourSessionId)))) return undefined;
  const reply: HardResetServerReply = { opcode, keyId, serverSessionId: sid, ackedPacketIds: reliable.acks };
  if (reliable.remoteSid) reply.ackedSessionId = reliable.remoteSid;
  return reply;
}

/** OpenVPN over TCP: each packet carries a 2-byte big-endian length prefix (§B2.1, verified). */
export function frameForTcp(packet: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(packet.length, 0);
  return Buffer.concat([len, packet]);
}

/**
 * Splits a TCP byte stream into packets. Returns the complete packets and the unconsumed tail; a
 * zero length is hostile (it would never advance) and ends the stream.
 */
export function deframeTcp(stream: Buffer): { packets: Buffer[]; rest: Buffer; broken: boolean } {
  const packets: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const len = u16(stream, offset);
    if (len === undefined) break;
    if (len === 0) return { packets, rest: Buffer.alloc(0), broken: true };
    if (offset + 2 + len > stream.length) break;
    packets.push(Buffer.from(stream.subarray(offset + 2, offset + 2 + len)));
    offset += 2 + len;
  }
  return { packets, rest: Buffer.from(stream.subarray(offset)), broken: false };
}

/** A short human name for a wrapping, for details ("tls-auth, key-direction 1, SHA256"). Never key bytes. */
export function describeWrapping(w: ControlWrapping): string {
  if (w.kind === 'plain') return 'no tls-auth/tls-crypt';
  if (w.kind === 'tls-crypt') return 'tls-crypt';
  if (w.kind === 'tls-crypt-v2') return 'tls-crypt-v2';
  const dir = w.direction === 'none' ? 'no key-direction' : `key-direction ${w.direction}`;
  return `tls-auth, ${dir}, auth ${w.digest.toUpperCase()}`;
}

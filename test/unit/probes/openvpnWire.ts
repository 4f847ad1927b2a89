// OpenVPN control-channel packets as a test double builds and checks them, written from OpenVPN's
// own description of the protocol — openvpn(8) on --secret / --tls-auth / --key-direction /
// --tls-crypt / --tls-crypt-v2, and doc/tls-crypt-v2.txt — with node:crypto. It is independent of
// src/core/probes/openvpn on purpose: a wrapping bug in the probe must not be cancelled out by the
// same bug in the fake server that answers it. The client resets it builds are checked byte for byte
// against resets a live OpenVPN 2.6.14 server accepted (independentCodecs.test.ts).
//
// Nothing here needs the product's crypto. tls-crypt-v2 in particular: the client's wrapped key (WKc)
// is opaque bytes to a client, so the fake is given the client key Kc directly instead of unwrapping
// WKc with a server key, and only checks that the reset carries the expected WKc.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
// Type only: the fakes are configured with the probe's own wrapping description.
import type { ControlWrapping } from '../../../src/core/probes/openvpn/hardReset';

/** The first byte of a packet is `opcode << 3 | key_id` (ssl_pkt.h); the opcodes a reset exchange uses. */
export const OP = {
  /** P_CONTROL_HARD_RESET_CLIENT_V2 (7), key id 0. */
  clientResetV2: 7 << 3,
  /** P_CONTROL_HARD_RESET_SERVER_V2 (8), key id 0. */
  serverResetV2: 8 << 3,
  /** P_CONTROL_HARD_RESET_CLIENT_V3 (10): a tls-crypt-v2 client's first packet, WKc appended. */
  clientResetV3: 10 << 3,
} as const;

export type Sender = 'client' | 'server';

export interface ControlPacket {
  op: number;
  sessionId: Buffer;
  /** The replay protection of tls-auth / tls-crypt: packet-id and time (absent on the wire for plain). */
  packetId: number;
  time: number;
  /** Reliability header and payload: what tls-auth signs and tls-crypt encrypts. */
  plaintext: Buffer;
  /** tls-crypt-v2 client packets: the wrapped client key found at the end. */
  wkc?: Buffer;
}

/** HMAC output size = HMAC key size for --auth (openvpn(8) --tls-auth). */
const DIGEST_BYTES = { sha1: 20, sha256: 32, sha512: 64 } as const;

/**
 * The reliability header of a control packet: the number of ACKs, the acknowledged packet-ids,
 * the peer's session id when there is at least one ACK, then this packet's message packet-id.
 */
export function reliableHeader(acks: number[], remoteSessionId: Buffer | undefined, messagePacketId: number): Buffer {
  const out = Buffer.alloc(1 + 4 * acks.length + (acks.length > 0 ? 8 : 0) + 4);
  out[0] = acks.length;
  acks.forEach((id, i) => out.writeUInt32BE(id, 1 + 4 * i));
  if (acks.length > 0) (remoteSessionId ?? Buffer.alloc(8)).copy(out, 1 + 4 * acks.length);
  out.writeUInt32BE(messagePacketId, out.length - 4);
  return out;
}

/**
 * openvpn(8) --secret: the 2048-bit static key is four 512-bit keys — [0] cipher and [1] HMAC of
 * the first direction, [2] cipher and [3] HMAC of the second. key-direction 0 sends with [0]/[1] and
 * receives with [2]/[3], key-direction 1 the reverse, and without a direction both sides use
 * [0]/[1] both ways. Returns the cipher and HMAC keys `from` sends with, given the client's direction.
 */
function sendingKeys(key: Buffer, clientDirection: 0 | 1 | 'none', from: Sender): { cipher: Buffer; hmac: Buffer } {
  const quarter = (i: number): Buffer => key.subarray(64 * i, 64 * i + 64);
  let forward: boolean;
  if (clientDirection === 'none') forward = true;
  else forward = (clientDirection === 0) === (from === 'client');
  return forward ? { cipher: quarter(0), hmac: quarter(1) } : { cipher: quarter(2), hmac: quarter(3) };
}

function replayBytes(packetId: number, time: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(packetId >>> 0, 0);
  b.writeUInt32BE(time >>> 0, 4);
  return b;
}

/**
 * tls-crypt (openvpn(8) --tls-crypt, doc/tls-crypt-v2.txt): the client uses key-direction 1 and the
 * server 0; the first 256 bits of the cipher key drive AES-256-CTR, the first 256 bits of the HMAC
 * key HMAC-SHA256. tag = HMAC(op ‖ session id ‖ packet-id ‖ time ‖ plaintext); the IV is the tag's
 * first 128 bits; the packet is op ‖ session id ‖ packet-id ‖ time ‖ tag ‖ ciphertext.
 */
function tlsCryptKeys(key: Buffer, from: Sender): { cipher: Buffer; hmac: Buffer } {
  const k = sendingKeys(key, 1, from);
  return { cipher: k.cipher.subarray(0, 32), hmac: k.hmac.subarray(0, 32) };
}

/** A control packet from `from`, wrapped as a peer with the client's wrapping `w` expects it. */
export function wrapControl(w: ControlWrapping, from: Sender, p: ControlPacket): Buffer {
  const head = Buffer.concat([Buffer.from([p.op]), p.sessionId]);
  if (w.kind === 'plain') return Buffer.concat([head, p.plaintext]);
  const replay = replayBytes(p.packetId, p.time);
  if (w.kind === 'tls-auth') {
    // op ‖ session id ‖ HMAC ‖ packet-id ‖ time ‖ plaintext; the HMAC covers the replay fields first.
    const k = sendingKeys(w.key, w.direction, from).hmac.subarray(0, DIGEST_BYTES[w.digest]);
    const mac = createHmac(w.digest, k).update(replay).update(head).update(p.plaintext).digest();
    return Buffer.concat([head, mac, replay, p.plaintext]);
  }
  const k = tlsCryptKeys(w.key, from);
  const tag = createHmac('sha256', k.hmac).update(head).update(replay).update(p.plaintext).digest();
  const cipher = createCipheriv('aes-256-ctr', k.cipher, tag.subarray(0, 16));
  const wrapped = Buffer.concat([head, replay, tag, cipher.update(p.plaintext), cipher.final()]);
  // doc/tls-crypt-v2.txt: the client's first packet ends with WKc, outside the tls-crypt wrapping.
  return w.kind === 'tls-crypt-v2' && from === 'client' ? Buffer.concat([wrapped, w.wkc]) : wrapped;
}

/** Checks and opens a control packet `from` the given side; undefined when it does not verify. */
export function unwrapControl(w: ControlWrapping, from: Sender, msg: Buffer): ControlPacket | undefined {
  if (msg.length < 9) return undefined;
  const op = msg[0] as number;
  const sessionId = Buffer.from(msg.subarray(1, 9));
  const head = msg.subarray(0, 9);
  if (w.kind === 'plain') return { op, sessionId, packetId: 0, time: 0, plaintext: Buffer.from(msg.subarray(9)) };
  if (w.kind === 'tls-auth') {
    const h = DIGEST_BYTES[w.digest];
    if (msg.length < 9 + h + 8) return undefined;
    const mac = msg.subarray(9, 9 + h);
    const replay = msg.subarray(9 + h, 17 + h);
    const plaintext = Buffer.from(msg.subarray(17 + h));
    const k = sendingKeys(w.key, w.direction, from).hmac.subarray(0, h);
    if (!createHmac(w.digest, k).update(replay).update(head).update(plaintext).digest().equals(mac)) return undefined;
    return { op, sessionId, packetId: replay.readUInt32BE(0), time: replay.readUInt32BE(4), plaintext };
  }
  let body = msg;
  let wkc: Buffer | undefined;
  if (w.kind === 'tls-crypt-v2' && from === 'client') {
    // WKc's last two bytes are the length of WKc itself (doc/tls-crypt-v2.txt).
    if (msg.length < 2) return undefined;
    const wkcLength = msg.readUInt16BE(msg.length - 2);
    if (wkcLength < 2 || wkcLength > msg.length - 9) return undefined;
    wkc = Buffer.from(msg.subarray(msg.length - wkcLength));
    body = msg.subarray(0, msg.length - wkcLength);
  }
  if (body.length < 9 + 8 + 32) return undefined;
  const replay = body.subarray(9, 17);
  const tag = body.subarray(17, 49);
  const k = tlsCryptKeys(w.key, from);
  const decipher = createDecipheriv('aes-256-ctr', k.cipher, tag.subarray(0, 16));
  const plaintext = Buffer.concat([decipher.update(body.subarray(49)), decipher.final()]);
  if (!createHmac('sha256', k.hmac).update(head).update(replay).update(plaintext).digest().equals(tag)) return undefined;
  const packet: ControlPacket = { op, sessionId, packetId: replay.readUInt32BE(0), time: replay.readUInt32BE(4), plaintext };
  if (wkc) packet.wkc = wkc;
  return packet;
}

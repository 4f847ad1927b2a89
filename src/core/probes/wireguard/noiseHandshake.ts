// WireGuard's Noise_IKpsk2 handshake, initiator side only: build a handshake initiation and verify
// the responder's answer (WireGuard whitepaper §5.4; wireguard-go device/noise-protocol.go
// `CreateMessageInitiation` / `ConsumeMessageResponse`; research vpn-protocols.md §B3).
// The probe stops after verifying the response: it never derives transport keys for sending and
// never sends the confirming keepalive, which would move the server to the probe's keypair (§B3.3).
import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { blake2s } from '@noble/hashes/blake2s';
import { equalBytes, slice } from '../bytes';

const CONSTRUCTION = 'Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s';
const IDENTIFIER = 'WireGuard v1 zx2c4 Jason@zx2c4.com';
const LABEL_MAC1 = 'mac1----';
const LABEL_COOKIE = 'cookie--';

export const MESSAGE_INITIATION = 1;
export const MESSAGE_RESPONSE = 2;
export const MESSAGE_COOKIE_REPLY = 3;
export const INITIATION_LENGTH = 148;
export const RESPONSE_LENGTH = 92;
export const COOKIE_REPLY_LENGTH = 64;
const KEY_LENGTH = 32;
const AEAD_TAG_LENGTH = 16;

/** HASH = BLAKE2s-256. */
export function hash(...parts: Uint8Array[]): Buffer {
  const h = createHash('blake2s256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** MAC = keyed BLAKE2s with a 16-byte output; OpenSSL refuses that length, hence @noble/hashes. */
export function mac(key: Uint8Array, data: Uint8Array): Buffer {
  return Buffer.from(blake2s(data, { key, dkLen: 16 }));
}

function hmac(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('blake2s256', key).update(data).digest();
}

/** HKDF as in noise-helpers.go KDF1/2/3 (HMAC-BLAKE2s). */
export function kdf(n: 1 | 2 | 3, key: Uint8Array, input: Uint8Array): Buffer[] {
  const prk = hmac(key, input);
  const out: Buffer[] = [];
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 1; i <= n; i++) {
    previous = hmac(prk, Buffer.concat([previous, Buffer.from([i])]));
    out.push(previous);
  }
  return out;
}

/** ChaCha20-Poly1305 with the 96-bit nonce 0^4 ‖ LE64(counter); the handshake only uses counter 0. */
function aeadSeal(key: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: AEAD_TAG_LENGTH });
  c.setAAD(ad, { plaintextLength: plaintext.length });
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
}

function aeadOpen(key: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Buffer | undefined {
  if (sealed.length < AEAD_TAG_LENGTH) return undefined;
  try {
    const d = createDecipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: AEAD_TAG_LENGTH });
    d.setAAD(ad, { plaintextLength: sealed.length - AEAD_TAG_LENGTH });
    d.setAuthTag(sealed.subarray(sealed.length - AEAD_TAG_LENGTH));
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - AEAD_TAG_LENGTH)), d.final()]);
  } catch {
    // The tag did not verify: that is an answer ("not for this key"), not an error.
    return undefined;
  }
}

// X25519 keys as KeyObjects. Raw 32-byte keys are wrapped in their fixed DER prefixes (RFC 8410).
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

function privateKeyObject(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, raw]), format: 'der', type: 'pkcs8' });
}
function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_X25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** A raw key or an imported one: importing PKCS#8 costs ~0.3 ms, so a handshake imports each key once. */
export type PrivateKeyInput = Uint8Array | KeyObject;

function asPrivate(key: PrivateKeyInput): KeyObject {
  return key instanceof Uint8Array ? privateKeyObject(key) : key;
}

/** The public key of an X25519 private key. */
export function publicKeyOf(privateKey: PrivateKeyInput): Buffer {
  return createPublicKey(asPrivate(privateKey)).export({ format: 'der', type: 'spki' }).subarray(-KEY_LENGTH);
}

/** X25519; undefined when OpenSSL rejects the result (an all-zero shared secret from a low-order point). */
export function dh(privateKey: PrivateKeyInput, publicKey: Uint8Array | KeyObject): Buffer | undefined {
  try {
    return diffieHellman({ privateKey: asPrivate(privateKey), publicKey: publicKey instanceof Uint8Array ? publicKeyObject(publicKey) : publicKey });
  } catch {
    return undefined;
  }
}

export interface EphemeralKeyPair {
  privateKey: Buffer;
  publicKey: Buffer;
  /** The same private key, already imported. */
  keyObject?: KeyObject;
}

/** A fresh X25519 key pair as raw bytes (and the private KeyObject, to skip a re-import). */
export function generateEphemeral(): EphemeralKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-KEY_LENGTH),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-KEY_LENGTH),
    keyObject: privateKey,
  };
}

/**
 * TAI64N label of a moment (wireguard-go tai64n.go): BE64(2^62 + 10 + unix seconds) ‖ BE32(nanos),
 * nanoseconds whitened down to a multiple of 2^24 (~16.8 ms) so the timestamp leaks less timing.
 */
export function tai64n(unixMs: number): Buffer {
  const out = Buffer.alloc(12);
  const seconds = BigInt(Math.floor(unixMs / 1000));
  out.writeBigUInt64BE(0x400000000000000an + seconds, 0);
  const nanos = (Math.floor(unixMs % 1000) * 1_000_000) & ~0xffffff;
  out.writeUInt32BE(nanos >>> 0, 8);
  return out;
}

const C0 = hash(Buffer.from(CONSTRUCTION));
const H0 = hash(C0, Buffer.from(IDENTIFIER));

export interface WireGuardKeys {
  /** Interface PrivateKey of the user's config (raw 32 bytes). */
  privateKey: Buffer;
  /** Peer PublicKey: the server (raw 32 bytes). */
  peerPublicKey: Buffer;
  /** Peer PresharedKey, or undefined for none (zeros, per the protocol). */
  presharedKey?: Buffer;
}

export interface InitiationInputs {
  keys: WireGuardKeys;
  senderIndex: number;
  ephemeral: EphemeralKeyPair;
  /** `keys.privateKey` already imported (retries reuse it). */
  staticKeyObject?: KeyObject;
  /** Unix milliseconds for the TAI64N timestamp. */
  nowMs: number;
}

/** What the initiator must remember to check the response. Holds secrets: never log or report it. */
export interface InitiationState {
  senderIndex: number;
  chainingKey: Buffer;
  hash: Buffer;
  ephemeralPrivate: KeyObject;
  staticPrivate: KeyObject;
  keys: WireGuardKeys;
  initiatorPublic: Buffer;
}

export interface Initiation {
  packet: Buffer;
  state: InitiationState;
}

/** CreateMessageInitiation (noise-protocol.go); undefined when the peer key is a low-order point. */
export function createInitiation(input: InitiationInputs): Initiation | undefined {
  const { keys, ephemeral } = input;
  let staticPrivate: KeyObject;
  let ephemeralPrivate: KeyObject;
  let peerPublic: KeyObject;
  try {
    staticPrivate = input.staticKeyObject ?? privateKeyObject(keys.privateKey);
    ephemeralPrivate = ephemeral.keyObject ?? privateKeyObject(ephemeral.privateKey);
    peerPublic = publicKeyObject(keys.peerPublicKey);
  } catch {
    return undefined; // not a 32-byte X25519 key
  }
  const initiatorPublic = publicKeyOf(staticPrivate);
  let c: Buffer = C0;
  let h = hash(H0, keys.peerPublicKey);
  [c] = kdf(1, c, ephemeral.publicKey) as [Buffer];
  h = hash(h, ephemeral.publicKey);
  const es = dh(ephemeralPrivate, peerPublic);
  if (!es) return undefined;
  const [c1, k1] = kdf(2, c, es) as [Buffer, Buffer];
  c = c1;
  const encryptedStatic = aeadSeal(k1, initiatorPublic, h);
  h = hash(h, encryptedStatic);
  const ss = dh(staticPrivate, peerPublic);
  if (!ss) return undefined;
  const [c2, k2] = kdf(2, c, ss) as [Buffer, Buffer];
  c = c2;
  const encryptedTimestamp = aeadSeal(k2, tai64n(input.nowMs), h);
  h = hash(h, encryptedTimestamp);

  const packet = Buffer.alloc(INITIATION_LENGTH);
  packet.writeUInt32LE(MESSAGE_INITIATION, 0);
  packet.writeUInt32LE(input.senderIndex >>> 0, 4);
  ephemeral.publicKey.copy(packet, 8);
  encryptedStatic.copy(packet, 40);
  encryptedTimestamp.copy(packet, 88);
  // mac1 keyed by the responder's public key (cookie.go); mac2 stays zero: we hold no cookie.
  mac(hash(Buffer.from(LABEL_MAC1), keys.peerPublicKey), packet.subarray(0, 116)).copy(packet, 116);
  return {
    packet,
    state: { senderIndex: input.senderIndex >>> 0, chainingKey: c, hash: h, ephemeralPrivate, staticPrivate, keys, initiatorPublic },
  };
}

export type ResponseVerdict =
  /** A handshake response that decrypts: the server accepted this key (and PSK). */
  | { kind: 'verified'; responderIndex: number }
  /** A response to us whose mac1 checks but whose AEAD does not: the PresharedKey differs (§B3.3). */
  | { kind: 'psk-mismatch'; responderIndex: number }
  /** A cookie reply to us: the server is under load; its mac1 check passed, so our peer key is right. */
  | { kind: 'cookie-reply' };

/**
 * ConsumeMessageResponse. Undefined for anything that is not an answer to *this* initiation
 * (wrong type, length, receiver index or mac1): such bytes are dropped, never thrown on.
 */
export function verifyResponse(packet: Uint8Array, state: InitiationState): ResponseVerdict | undefined {
  const type = packet.length >= 4 ? Buffer.from(packet.subarray(0, 4)).readUInt32LE(0) : undefined;
  if (type === MESSAGE_COOKIE_REPLY && packet.length === COOKIE_REPLY_LENGTH) {
    const receiver = Buffer.from(packet.subarray(4, 8)).readUInt32LE(0);
    return receiver === state.senderIndex ? { kind: 'cookie-reply' } : undefined;
  }
  if (type !== MESSAGE_RESPONSE || packet.length !== RESPONSE_LENGTH) return undefined;
  const buf = Buffer.from(packet);
  const responderIndex = buf.readUInt32LE(4);
  const receiver = buf.readUInt32LE(8);
  if (receiver !== state.senderIndex) return undefined;
  const ephemeralR = slice(buf, 12, 32);
  const empty = slice(buf, 44, 16);
  const mac1 = slice(buf, 60, 16);
  if (!ephemeralR || !empty || !mac1) return undefined;
  // mac1 of a response is keyed with *our* public key (cookie.go CheckMAC1 on the initiator side).
  const expectedMac1 = mac(hash(Buffer.from(LABEL_MAC1), state.initiatorPublic), buf.subarray(0, 60));
  if (!equalBytes(mac1, expectedMac1)) return undefined;

  let c = state.chainingKey;
  let h = hash(state.hash, ephemeralR);
  [c] = kdf(1, c, ephemeralR) as [Buffer];
  let responderEphemeral: KeyObject;
  try {
    responderEphemeral = publicKeyObject(ephemeralR);
  } catch {
    return undefined;
  }
  const ee = dh(state.ephemeralPrivate, responderEphemeral);
  const se = dh(state.staticPrivate, responderEphemeral);
  // A low-order ephemeral is not something a real responder sends: drop it.
  if (!ee || !se) return undefined;
  [c] = kdf(1, c, ee) as [Buffer];
  [c] = kdf(1, c, se) as [Buffer];
  const psk = state.keys.presharedKey ?? Buffer.alloc(KEY_LENGTH);
  const [, tau, key] = kdf(3, c, psk) as [Buffer, Buffer, Buffer];
  h = hash(h, tau);
  const opened = aeadOpen(key, empty, h);
  return opened && opened.length === 0 ? { kind: 'verified', responderIndex } : { kind: 'psk-mismatch', responderIndex };
}

/** HASH("cookie--" ‖ responder public key): the key of cookie replies (for tests and future use). */
export function cookieKey(responderPublic: Uint8Array): Buffer {
  return hash(Buffer.from(LABEL_COOKIE), responderPublic);
}

/** HASH("mac1----" ‖ public key). */
export function mac1Key(publicKey: Uint8Array): Buffer {
  return hash(Buffer.from(LABEL_MAC1), publicKey);
}

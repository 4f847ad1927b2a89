// A test-only WireGuard responder: consumes a handshake initiation and answers with a handshake
// response, written from the WireGuard whitepaper §5.4 (§5.4.2 initiation, §5.4.3 response, §5.4.4
// cookie MACs; Noise_IKpsk2) with node:crypto (X25519, ChaCha20-Poly1305) and @noble/hashes (BLAKE2s,
// HMAC-BLAKE2s). It is independent of src/core/probes/wireguard on purpose: a handshake bug in the
// probe must not be cancelled out by the same bug in the double. Its initiation side is proven against
// an initiation a live wireguard-go server accepted (independentCodecs.test.ts); the live check of the
// probe against wireguard-go is in test/lab/probeWireguard.test.ts.
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { blake2s } from '@noble/hashes/blake2s';
import { hmac as nobleHmac } from '@noble/hashes/hmac';

/** Whitepaper §5.4: HASH(x) = BLAKE2s(x, 32). */
function HASH(...parts: Uint8Array[]): Buffer {
  return Buffer.from(blake2s(Buffer.concat(parts)));
}
/** MAC(key, x) = Keyed-BLAKE2s(key, x, 16). */
function MAC(key: Uint8Array, data: Uint8Array): Buffer {
  return Buffer.from(blake2s(data, { key, dkLen: 16 }));
}
/** HMAC(key, x) = HMAC-BLAKE2s(key, x, 32). */
function HMAC(key: Uint8Array, data: Uint8Array): Buffer {
  return Buffer.from(nobleHmac(blake2s, key, data));
}
/** KDF_n(key, input): τ0 = HMAC(key, input), τi = HMAC(τ0, τ(i−1) ‖ i). */
function KDF(n: number, key: Uint8Array, input: Uint8Array): Buffer[] {
  const t0 = HMAC(key, input);
  const out: Buffer[] = [];
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 1; i <= n; i++) {
    previous = HMAC(t0, Buffer.concat([previous, Buffer.from([i])]));
    out.push(previous);
  }
  return out;
}
/** AEAD(key, counter, plain, auth) = ChaCha20Poly1305 with nonce 32 zero bits ‖ LE64(counter); the handshake uses counter 0. */
function AEAD(key: Buffer, plain: Buffer, auth: Buffer): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
  c.setAAD(auth, { plaintextLength: plain.length });
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}
function AEAD_OPEN(key: Buffer, sealed: Buffer, auth: Buffer): Buffer | undefined {
  try {
    const d = createDecipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
    d.setAAD(auth, { plaintextLength: sealed.length - 16 });
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
  } catch {
    return undefined;
  }
}

// X25519 through node:crypto. A raw private key is imported in its RFC 8410 §7 PKCS#8 form; a raw
// public key as an RFC 8037 JWK.
function privateKey(raw: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), raw]), format: 'der', type: 'pkcs8' });
}
function publicOf(key: KeyObject): Buffer {
  return Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x as string, 'base64url');
}
/** DH(private, public); undefined when node refuses the result (a low-order public key). */
function DH(priv: KeyObject, pub: Buffer): Buffer | undefined {
  try {
    return diffieHellman({ privateKey: priv, publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: pub.toString('base64url') }, format: 'jwk' }) });
  } catch {
    return undefined;
  }
}

const CONSTRUCTION = Buffer.from('Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s');
const IDENTIFIER = Buffer.from('WireGuard v1 zx2c4 Jason@zx2c4.com');
const LABEL_MAC1 = Buffer.from('mac1----');

export interface ResponderPeer {
  publicKey: Buffer;
  presharedKey?: Buffer;
}

/** What the responder learnt from a valid initiation (§5.4.2), and the state it continues from. */
export interface ConsumedInitiation {
  senderIndex: number;
  ephemeral: Buffer;
  initiatorStatic: Buffer;
  /** TAI64N, 12 bytes. */
  timestamp: Buffer;
  chainingKey: Buffer;
  hash: Buffer;
}

/**
 * §5.4.2 from the responder's side. Layout: type 1 ‖ 3 zero bytes ‖ sender index (LE32) ‖ ephemeral
 * (32) ‖ AEAD(static) (48) ‖ AEAD(timestamp) (28) ‖ mac1 (16) ‖ mac2 (16) = 148 bytes. Undefined
 * for a bad mac1 (§5.4.4, keyed with HASH(LABEL_MAC1 ‖ our public key)) or an AEAD that does not open.
 */
export function consumeInitiation(initiation: Buffer, responderPrivate: Buffer): ConsumedInitiation | undefined {
  if (initiation.length !== 148 || initiation.readUInt32LE(0) !== 1) return undefined;
  const priv = privateKey(responderPrivate);
  const responderPublic = publicOf(priv);
  if (!MAC(HASH(LABEL_MAC1, responderPublic), initiation.subarray(0, 116)).equals(initiation.subarray(116, 132))) return undefined;
  const ephemeral = Buffer.from(initiation.subarray(8, 40));
  const encryptedStatic = initiation.subarray(40, 88);
  const encryptedTimestamp = initiation.subarray(88, 116);
  let c = HASH(CONSTRUCTION);
  let h = HASH(c, IDENTIFIER);
  h = HASH(h, responderPublic);
  [c] = KDF(1, c, ephemeral) as [Buffer];
  h = HASH(h, ephemeral);
  const es = DH(priv, ephemeral);
  if (!es) return undefined;
  let k: Buffer;
  [c, k] = KDF(2, c, es) as [Buffer, Buffer];
  const initiatorStatic = AEAD_OPEN(k, encryptedStatic, h);
  if (!initiatorStatic) return undefined;
  h = HASH(h, encryptedStatic);
  const ss = DH(priv, initiatorStatic);
  if (!ss) return undefined;
  [c, k] = KDF(2, c, ss) as [Buffer, Buffer];
  const timestamp = AEAD_OPEN(k, encryptedTimestamp, h);
  if (!timestamp) return undefined;
  h = HASH(h, encryptedTimestamp);
  return { senderIndex: initiation.readUInt32LE(4), ephemeral, initiatorStatic, timestamp, chainingKey: c, hash: h };
}

/**
 * Answers an initiation like wireguard-go: undefined (silence) for a bad mac1 or an unknown peer.
 * §5.4.3 response: type 2 ‖ 3 zero bytes ‖ sender index ‖ receiver index (the initiator's) ‖
 * ephemeral (32) ‖ AEAD(empty) (16) ‖ mac1 (16, keyed with the initiator's public key) ‖ mac2 (zero
 * without a cookie) = 92 bytes.
 */
export function respond(initiation: Buffer, responderPrivate: Buffer, peers: ResponderPeer[], senderIndex = 0x0a0b0c0d): Buffer | undefined {
  const consumed = consumeInitiation(initiation, responderPrivate);
  if (!consumed) return undefined;
  const peer = peers.find((p) => p.publicKey.equals(consumed.initiatorStatic));
  if (!peer) return undefined; // wireguard-go: "Received invalid initiation message"
  let c = consumed.chainingKey;
  let h = consumed.hash;
  const ephemeral = generateKeyPairSync('x25519').privateKey;
  const ephemeralPublic = publicOf(ephemeral);
  [c] = KDF(1, c, ephemeralPublic) as [Buffer];
  h = HASH(h, ephemeralPublic);
  [c] = KDF(1, c, DH(ephemeral, consumed.ephemeral) as Buffer) as [Buffer];
  [c] = KDF(1, c, DH(ephemeral, consumed.initiatorStatic) as Buffer) as [Buffer];
  const [, tau, k] = KDF(3, c, peer.presharedKey ?? Buffer.alloc(32)) as [Buffer, Buffer, Buffer];
  h = HASH(h, tau);
  const empty = AEAD(k, Buffer.alloc(0), h);
  const head = Buffer.alloc(12);
  head.writeUInt32LE(2, 0);
  head.writeUInt32LE(senderIndex, 4);
  head.writeUInt32LE(consumed.senderIndex, 8);
  const macced = Buffer.concat([head, ephemeralPublic, empty]);
  return Buffer.concat([macced, MAC(HASH(LABEL_MAC1, consumed.initiatorStatic), macced), Buffer.alloc(16)]);
}

// A test-only WireGuard responder (whitepaper §5.4.3–5.4.4, wireguard-go ConsumeMessageInitiation /
// CreateMessageResponse) built from the same primitives, to check the initiator end to end without
// a server. The live check against wireguard-go is in test/lab/probeWireguard.test.ts.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { dh, generateEphemeral, hash, kdf, mac, mac1Key, publicKeyOf } from '../../../src/core/probes/wireguard/noiseHandshake';

const C0 = hash(Buffer.from('Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s'));
const H0 = hash(C0, Buffer.from('WireGuard v1 zx2c4 Jason@zx2c4.com'));

function seal(key: Buffer, plain: Buffer, ad: Buffer): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
  c.setAAD(ad, { plaintextLength: plain.length });
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}
function open(key: Buffer, sealed: Buffer, ad: Buffer): Buffer | undefined {
  try {
    const d = createDecipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
    d.setAAD(ad, { plaintextLength: sealed.length - 16 });
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
  } catch {
    return undefined;
  }
}

export interface ResponderPeer {
  publicKey: Buffer;
  presharedKey?: Buffer;
}

/** Answers an initiation like wireguard-go: undefined (silence) for bad mac1 or an unknown peer. */
export function respond(initiation: Buffer, responderPrivate: Buffer, peers: ResponderPeer[], senderIndex = 0x0a0b0c0d): Buffer | undefined {
  if (initiation.length !== 148 || initiation.readUInt32LE(0) !== 1) return undefined;
  const responderPublic = publicKeyOf(responderPrivate);
  if (!mac(mac1Key(responderPublic), initiation.subarray(0, 116)).equals(initiation.subarray(116, 132))) return undefined;
  const ei = initiation.subarray(8, 40);
  let c = C0;
  let h = hash(H0, responderPublic);
  [c] = kdf(1, c, ei) as [Buffer];
  h = hash(h, ei);
  const es = dh(responderPrivate, ei);
  if (!es) return undefined;
  const [c1, k1] = kdf(2, c, es) as [Buffer, Buffer];
  c = c1;
  const encStatic = initiation.subarray(40, 88);
  const initiatorPublic = open(k1, encStatic, h);
  if (!initiatorPublic) return undefined;
  h = hash(h, encStatic);
  const peer = peers.find((p) => p.publicKey.equals(initiatorPublic));
  if (!peer) return undefined; // "Received invalid initiation message"
  const ss = dh(responderPrivate, initiatorPublic) as Buffer;
  const [c2, k2] = kdf(2, c, ss) as [Buffer, Buffer];
  c = c2;
  const encTs = initiation.subarray(88, 116);
  if (!open(k2, encTs, h)) return undefined;
  h = hash(h, encTs);

  const er = generateEphemeral();
  [c] = kdf(1, c, er.publicKey) as [Buffer];
  h = hash(h, er.publicKey);
  [c] = kdf(1, c, dh(er.privateKey, ei) as Buffer) as [Buffer];
  [c] = kdf(1, c, dh(er.privateKey, initiatorPublic) as Buffer) as [Buffer];
  const [, tau, key] = kdf(3, c, peer.presharedKey ?? Buffer.alloc(32)) as [Buffer, Buffer, Buffer];
  h = hash(h, tau);
  const empty = seal(key, Buffer.alloc(0), h);
  const out = Buffer.alloc(92);
  out.writeUInt32LE(2, 0);
  out.writeUInt32LE(senderIndex, 4);
  initiation.copy(out, 8, 4, 8);
  er.publicKey.copy(out, 12);
  empty.copy(out, 44);
  mac(mac1Key(initiatorPublic), out.subarray(0, 60)).copy(out, 60);
  return out;
}

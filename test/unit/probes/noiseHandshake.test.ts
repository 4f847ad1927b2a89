import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  cookieKey,
  createInitiation,
  generateEphemeral,
  hash,
  mac,
  mac1Key,
  publicKeyOf,
  tai64n,
  verifyResponse,
  type WireGuardKeys,
} from '../../../src/core/probes/wireguard/noiseHandshake';
import { decodeKey } from '../../../src/core/config/wireguard/keys';
import { keysForEndpoint } from '../../../src/core/probes/wireguard/wireguardProbeConfig';
import { wireguardFromText } from '../config/probeViews';
import { readFixture } from './fixtures';
import { respond } from './wireguardResponder';

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
// Research §B6 (accepted by wireguard-go, which answered with a response that verified).
const INITIATOR_PRIVATE = b64('uL14uGAGRLDCP1D0a7p0iUMPvhIPFo4NidmJ8gM4QWU=');
const INITIATOR_PUBLIC = b64('qHwXsTsQz+kC1sntBm28nbbm4AKBN4r3UmUYprgD7Fo=');
const RESPONDER_PRIVATE = b64('oK/KSSAUGeO+iYwey90tOch4zRUZwgmaDTIchh+i+k4=');
const RESPONDER_PUBLIC = b64('yMPV+o35GDflJpPiR9u+PJXpRBUIi41C9emGFWU7zlk=');
const PSK = b64('HZdtzF60pYqQXbbzNNMQa06bGDS6bYnchEZ5kdiqPLQ=');
const EPHEMERAL = {
  privateKey: Buffer.from('7021bcbe23e843d1e4724acd40bf3e7023f2b0ffb2e424c85676a3d91768a176', 'hex'),
  publicKey: Buffer.from('1df04113e320f96184ec01c1cc8d1d6ec026aec78480b44b866f6978bc88f87d', 'hex'),
};
const KAT_INITIATION =
  '01000000010203041df04113e320f96184ec01c1cc8d1d6ec026aec78480b44b' +
  '866f6978bc88f87d16ffa1e6b2f897e82c4351c29c5aadecbde2802dc1202e1f' +
  '78cc5389ddcdd90d2ce091d3e40dff5bf575d20de7e1aa372e1fe6155a52811e' +
  'e26e6102dae5093a31715685e2cd9db374e8924053d3c0dda88d73c7d13491ca' +
  '50b479e500000000000000000000000000000000';
const KEYS: WireGuardKeys = { privateKey: INITIATOR_PRIVATE, peerPublicKey: RESPONDER_PUBLIC, presharedKey: PSK };

describe('WireGuard primitives', () => {
  it('match the BLAKE2s known answers the WireGuard reference implementation gives', () => {
    assert.equal(mac(Buffer.alloc(32, 2), Buffer.from('abc')).toString('hex'), '6949e19c7241602d17d57020ccc86909');
    assert.equal(createHmac('blake2s256', Buffer.alloc(32, 1)).update('abc').digest('hex'), 'bca342c98db01916ccc4e944230a1022eac1bf9b5ba2ab21cf192933d76100b4');
    const c0 = hash(Buffer.from('Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s'));
    assert.equal(c0.toString('hex'), '60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36');
    assert.equal(hash(c0, Buffer.from('WireGuard v1 zx2c4 Jason@zx2c4.com')).toString('hex'), '2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3');
  });
  it('derive the §B6 public keys and mac1/cookie keys', () => {
    assert.ok(publicKeyOf(INITIATOR_PRIVATE).equals(INITIATOR_PUBLIC));
    assert.ok(publicKeyOf(RESPONDER_PRIVATE).equals(RESPONDER_PUBLIC));
    assert.ok(publicKeyOf(EPHEMERAL.privateKey).equals(EPHEMERAL.publicKey));
    assert.equal(mac1Key(RESPONDER_PUBLIC).toString('hex'), '6851f41f3cc1cf3f17967be0b6c13b32370772afad4a5a0cc73c0e09d60abc4a');
    assert.equal(cookieKey(RESPONDER_PUBLIC).toString('hex'), '678c8075e3ee1e5b41e3f0c8fac82caee9ab11f52854e647c48c0dd348e02321');
  });
  it('encode TAI64N with whitened nanoseconds', () => {
    assert.equal(tai64n(1700000000_000).toString('hex'), '400000006553f10a00000000');
    const t = tai64n(1700000000_999);
    assert.equal(t.readUInt32BE(8) & 0xffffff, 0, 'low 24 bits of nanoseconds cleared');
  });
});

describe('WireGuard handshake initiation', () => {
  it('is byte-for-byte the §B6 known answer (148 bytes, accepted by wireguard-go)', () => {
    const init = createInitiation({ keys: KEYS, senderIndex: 0x04030201, ephemeral: EPHEMERAL, nowMs: 1700000000_000 });
    assert.ok(init);
    assert.equal(init.packet.toString('hex'), KAT_INITIATION);
  });

  it('verifies a response made with the right PresharedKey', () => {
    const init = createInitiation({ keys: KEYS, senderIndex: 77, ephemeral: generateEphemeral(), nowMs: Date.now() });
    assert.ok(init);
    const answer = respond(init.packet, RESPONDER_PRIVATE, [{ publicKey: INITIATOR_PUBLIC, presharedKey: PSK }]);
    assert.ok(answer);
    assert.deepEqual(verifyResponse(answer, init.state), { kind: 'verified', responderIndex: 0x0a0b0c0d });
  });

  it('says "PresharedKey mismatch" when the server answers but the AEAD does not open', () => {
    const init = createInitiation({ keys: KEYS, senderIndex: 78, ephemeral: generateEphemeral(), nowMs: Date.now() });
    assert.ok(init);
    const answer = respond(init.packet, RESPONDER_PRIVATE, [{ publicKey: INITIATOR_PUBLIC, presharedKey: Buffer.alloc(32, 9) }]);
    assert.ok(answer, 'the PSK is mixed in only at the response: the server still answers');
    assert.equal(verifyResponse(answer, init.state)?.kind, 'psk-mismatch');
    const noPsk = respond(init.packet, RESPONDER_PRIVATE, [{ publicKey: INITIATOR_PUBLIC }]);
    assert.equal(verifyResponse(noPsk as Buffer, init.state)?.kind, 'psk-mismatch');
  });

  it('gets silence from a responder that does not know the key, or with the wrong server key', () => {
    const init = createInitiation({ keys: KEYS, senderIndex: 79, ephemeral: generateEphemeral(), nowMs: Date.now() });
    assert.ok(init);
    assert.equal(respond(init.packet, RESPONDER_PRIVATE, [{ publicKey: Buffer.alloc(32, 5) }]), undefined);
    const other = generateEphemeral();
    assert.equal(respond(init.packet, other.privateKey, [{ publicKey: INITIATOR_PUBLIC }]), undefined, 'mac1 keyed for another server');
  });

  it('drops responses to another sender index, with a bad mac1, or of the wrong size', () => {
    const init = createInitiation({ keys: KEYS, senderIndex: 80, ephemeral: generateEphemeral(), nowMs: Date.now() });
    assert.ok(init);
    const answer = respond(init.packet, RESPONDER_PRIVATE, [{ publicKey: INITIATOR_PUBLIC, presharedKey: PSK }]) as Buffer;
    const otherReceiver = Buffer.from(answer);
    otherReceiver.writeUInt32LE(81, 8);
    assert.equal(verifyResponse(otherReceiver, init.state), undefined);
    const badMac = Buffer.from(answer);
    badMac[70] = (badMac[70] as number) ^ 1;
    assert.equal(verifyResponse(badMac, init.state), undefined);
    assert.equal(verifyResponse(answer.subarray(0, 91), init.state), undefined);
    const cookie = Buffer.alloc(64);
    cookie.writeUInt32LE(3, 0);
    cookie.writeUInt32LE(80, 4);
    assert.deepEqual(verifyResponse(cookie, init.state), { kind: 'cookie-reply' });
  });
});

describe('wg-quick config', () => {
  it('reads the keys and endpoint of the §B6 client config', () => {
    const config = wireguardFromText(readFixture('kat-client.conf'));
    assert.ok(config.privateKey?.equals(INITIATOR_PRIVATE));
    assert.equal(config.peers.length, 1);
    assert.equal(config.peers[0]?.endpoint, '203.0.113.10:51820');
    const picked = keysForEndpoint(config, '203.0.113.10', 51820);
    assert.ok('keys' in picked && picked.keys.presharedKey?.equals(PSK) && picked.notes.length === 0);
  });
  it('rejects malformed keys with a line number and without quoting them', () => {
    const config = wireguardFromText('[Interface]\nPrivateKey = c2VjcmV0c2VjcmV0\n[Peer]\nPublicKey = yMPV+o35GDflJpPiR9u+PJXpRBUIi41C9emGFWU7zlk=\n');
    assert.equal(config.privateKey, undefined);
    assert.match(config.notes[0] ?? '', /line 2: PrivateKey is not a valid WireGuard key/);
    assert.ok(!config.notes.join().includes('c2VjcmV0'));
    const picked = keysForEndpoint(config, 'x', 1);
    assert.ok('error' in picked);
    assert.equal(decodeKey('yMPV+o35GDflJpPiR9u+PJXpRBUIi41C9emGFWU7zlB='), undefined, 'non-canonical last character');
  });
});

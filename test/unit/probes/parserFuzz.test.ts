// Every response parser takes bytes from the network. Feed each one random packets and mutations
// of valid answers (bit flips, truncation, extension, length-field corruption): it must return
// a value or undefined, never throw, and never take long. Seeded, so a failure reproduces.
// The valid answers are built by the test doubles' own encoders, never by the product's.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseIkeSaInitResponse, stripNonEspMarker } from '../../../src/core/probes/ike/ikeSaInit';
import { deframeTcp, parseHardResetServer, type ControlWrapping } from '../../../src/core/probes/openvpn/hardReset';
import { createInitiation, generateEphemeral, verifyResponse } from '../../../src/core/probes/wireguard/noiseHandshake';
import { parseAllocateAnswer, parseRefreshAnswer } from '../../../src/core/probes/turn/turnAllocate';
import { decodeBindingResponse } from '../../../src/core/stun/binding';
import { decodeStunMessage as decodeStun } from '../../../src/core/stun/stunMessage';
import { ATTR, BINDING_SUCCESS, CLASS, METHOD, attribute, encodeMessage, errorCode, longTermKey, messageType } from '../../lab/stunWire';
import { ikeMessage, natDetectionHash, notifyBody, openVpnServerReply } from './fakeResponders';
import { respond } from './wireguardResponder';
import { parseStaticKey, parseTlsCryptV2ClientKey } from '../../../src/core/probes/openvpn/staticKey';
import { parseProbeTarget } from '../../../src/core/probes/target';
import { openvpnFromText, wireguardFromText } from '../config/probeViews';

const ITERATIONS = 3000;

/** xorshift32: deterministic, so a failing case can be replayed from its seed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function randomPacket(next: () => number, maxLength: number): Buffer {
  const out = Buffer.alloc(next() % (maxLength + 1));
  for (let i = 0; i < out.length; i++) out[i] = next() & 255;
  return out;
}

function mutate(valid: Buffer, next: () => number): Buffer {
  const b = Buffer.from(valid);
  switch (next() % 5) {
    case 0: {
      for (let i = 0, n = 1 + (next() % 4); i < n && b.length > 0; i++) {
        const at = next() % b.length;
        b[at] = (b[at] as number) ^ (1 << next() % 8);
      }
      return b;
    }
    case 1:
      return b.subarray(0, next() % (b.length + 1));
    case 2:
      return Buffer.concat([b, randomPacket(next, 64)]);
    case 3: {
      // Corrupt a 16-bit field somewhere, most often a length.
      if (b.length >= 2) b.writeUInt16BE(next() & 0xffff, next() % (b.length - 1));
      return b;
    }
    default:
      if (b.length > 0) b[next() % b.length] = next() & 255;
      return b;
  }
}

function fuzz(name: string, valid: Buffer[], parse: (buf: Buffer) => unknown): void {
  it(`${name}: survives ${ITERATIONS} random and mutated packets`, { timeout: 20_000 }, () => {
    const next = rng(0x5eed + name.length);
    const started = Date.now();
    for (let i = 0; i < ITERATIONS; i++) {
      const source = valid[i % valid.length] as Buffer;
      const packet = i % 3 === 0 ? randomPacket(next, 200) : mutate(source, next);
      assert.doesNotThrow(() => parse(packet), `iteration ${i}: ${packet.toString('hex')}`);
    }
    for (const v of valid) assert.notEqual(parse(v), undefined, 'the unmutated packet still parses');
    assert.ok(Date.now() - started < 15_000, 'no pathological slowness');
  });
}

describe('parser fuzzing', () => {
  const spiI = Buffer.from('0102030405060708', 'hex');
  const ikeAnswer = ikeMessage(spiI, Buffer.alloc(8), [
    { type: 41, body: notifyBody(14) },
    { type: 41, body: notifyBody(16389, natDetectionHash(spiI, Buffer.alloc(8), '192.0.2.1', 500)) },
  ]);
  fuzz('IKE_SA_INIT response', [ikeAnswer], (b) => parseIkeSaInitResponse(b, spiI));
  fuzz('non-ESP marker', [Buffer.concat([Buffer.alloc(4), ikeAnswer])], (b) => stripNonEspMarker(b));

  const key = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) key[i] = (i * 7) & 255;
  const sid = Buffer.from('0102030405060708', 'hex');
  const serverSid = { serverSessionId: Buffer.alloc(8, 0xaa), time: 1 };
  const plainReply = openVpnServerReply({ kind: 'plain' }, sid, serverSid);
  const authWrap: ControlWrapping = { kind: 'tls-auth', key, direction: 1, digest: 'sha1' };
  const authReply = openVpnServerReply(authWrap, sid, serverSid);
  fuzz('OpenVPN server reset (plain)', [plainReply], (b) => parseHardResetServer(b, { kind: 'plain' }, sid));
  fuzz('OpenVPN server reset (tls-auth)', [authReply], (b) => parseHardResetServer(b, authWrap, sid));
  fuzz('OpenVPN server reset (tls-crypt)', [randomPacket(rng(3), 80)], (b) => parseHardResetServer(b, { kind: 'tls-crypt', key }, sid) ?? 'dropped');
  fuzz('OpenVPN TCP deframing', [Buffer.concat([Buffer.from([0, plainReply.length]), plainReply])], (b) => deframeTcp(b));

  const server = generateEphemeral();
  const client = generateEphemeral();
  const init = createInitiation({ keys: { privateKey: client.privateKey, peerPublicKey: server.publicKey }, senderIndex: 99, ephemeral: generateEphemeral(), nowMs: Date.now() });
  assert.ok(init);
  const wgAnswer = respond(init.packet, server.privateKey, [{ publicKey: client.publicKey }]) as Buffer;
  fuzz('WireGuard response', [wgAnswer], (b) => verifyResponse(b, init.state));

  const tid = Buffer.from('0102030405060708090a0b0c', 'hex');
  const stunKey = longTermKey('u', 'r', 'p');
  const challenge = encodeMessage(messageType(METHOD.ALLOCATE, CLASS.error), tid, [
    attribute(ATTR.ERROR_CODE, errorCode(401, 'U')),
    attribute(ATTR.REALM, Buffer.from('r')),
    attribute(ATTR.NONCE, Buffer.from('nonce')),
  ]);
  const binding = encodeMessage(BINDING_SUCCESS, tid, [attribute(ATTR.XOR_MAPPED_ADDRESS, Buffer.from('0001a147e112a643', 'hex'))], { fingerprint: true });
  const refresh = encodeMessage(messageType(METHOD.REFRESH, CLASS.success), tid, [], { integrityKey: stunKey });
  fuzz('STUN decode', [challenge, binding, refresh], (b) => decodeStun(b));
  fuzz('TURN Allocate answer', [challenge], (b) => parseAllocateAnswer(b, tid, stunKey));
  fuzz('STUN Binding answer', [binding], (b) => decodeBindingResponse(b));
  fuzz('TURN Refresh answer', [refresh], (b) => parseRefreshAnswer(b, tid));

  // Config and target parsers read user files and flags, not the network, but must not throw either.
  const text = (b: Buffer): string => b.toString('latin1');
  const ovpn = Buffer.from('client\nremote 203.0.113.10 1194 udp\nkey-direction 1\nauth SHA256\n<tls-auth>\n-----BEGIN OpenVPN Static key V1-----\n00\n-----END OpenVPN Static key V1-----\n</tls-auth>\n<tls-crypt-v2>\n-----BEGIN OpenVPN tls-crypt-v2 client key-----\nAAAA\n-----END OpenVPN tls-crypt-v2 client key-----\n</tls-crypt-v2>\n');
  const wg = Buffer.from('[Interface]\nPrivateKey = uL14uGAGRLDCP1D0a7p0iUMPvhIPFo4NidmJ8gM4QWU=\n[Peer]\nPublicKey = yMPV+o35GDflJpPiR9u+PJXpRBUIi41C9emGFWU7zlk=\nEndpoint = [2001:db8::1]:51820\n');
  fuzz('wg-quick config', [wg], (b) => wireguardFromText(text(b)));
  fuzz('static key', [Buffer.from('-----BEGIN OpenVPN Static key V1-----\n' + '00'.repeat(256) + '\n-----END OpenVPN Static key V1-----')], (b) => parseStaticKey(text(b)));
  fuzz('tls-crypt-v2 client key', [ovpn], (b) => parseTlsCryptV2ClientKey(text(b)));
  fuzz('probe target', [Buffer.from('vpn.example.com:51820/wireguard'), Buffer.from('[2001:db8::1]:500/ike')], (b) => parseProbeTarget(text(b)));
  it('.ovpn config: survives random and mutated files', { timeout: 20_000 }, async () => {
    const next = rng(0x0bad);
    for (let i = 0; i < 1000; i++) {
      const file = text(i % 3 === 0 ? randomPacket(next, 300) : mutate(ovpn, next));
      await assert.doesNotReject(openvpnFromText(file, async () => file));
    }
  });
});

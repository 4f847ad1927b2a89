// The test doubles answer the probes with encoders that share no code with src/core (the lab's
// stunWire.ts, the IKE chain in fakeResponders.ts, openvpnWire.ts, wireguardResponder.ts). Here each
// of those encoders is proven on its own against bytes that did not come from this repository's
// product code: the RFC 5769 sample messages, and messages live servers accepted (a strongSwan
// answer, OpenVPN 2.6.14 client resets, a wireguard-go handshake initiation).
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ControlWrapping } from '../../../src/core/probes/openvpn/hardReset';
import {
  ATTR,
  BINDING_REQUEST,
  BINDING_SUCCESS,
  CLASS,
  METHOD,
  attribute,
  crc32,
  decodeAddress,
  encodeMessage,
  errorCode,
  longTermKey,
  messageType,
  parseMessage,
  verifyFingerprint,
  verifyIntegrity,
  xorMappedAddress,
} from '../../lab/stunWire';
import { ikeMessage, isClientReset, natDetectionHash, notifyBody, openVpnServerReply } from './fakeResponders';
import { readFixture } from './fixtures';
import { OP, reliableHeader, unwrapControl, wrapControl } from './openvpnWire';
import { IPV4_RESPONSE, IPV6_RESPONSE, LONG_TERM_REQUEST, REQUEST, SHORT_TERM_PASSWORD, TRANSACTION_ID } from '../stun/rfc5769';
import { consumeInitiation, respond } from './wireguardResponder';

const SPACE = 0x20;
const flipped = (b: Buffer, at: number): Buffer => {
  const copy = Buffer.from(b);
  copy[at] = (copy[at] as number) ^ 1;
  return copy;
};

describe('test-side STUN codec (test/lab/stunWire.ts) against RFC 5769', () => {
  const shortTermKey = Buffer.from(SHORT_TERM_PASSWORD, 'utf8');

  it('CRC-32 gives the standard check value and message types follow the RFC 5389 §6 bit layout', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(BINDING_REQUEST, 0x0001);
    assert.equal(BINDING_SUCCESS, 0x0101);
    assert.equal(messageType(METHOD.BINDING, CLASS.error), 0x0111);
    assert.equal(messageType(METHOD.ALLOCATE, CLASS.request), 0x0003);
    assert.equal(messageType(METHOD.ALLOCATE, CLASS.success), 0x0103);
    assert.equal(messageType(METHOD.ALLOCATE, CLASS.error), 0x0113);
    assert.equal(messageType(METHOD.REFRESH, CLASS.success), 0x0104);
    assert.equal(messageType(0xfff, CLASS.error), 0x3fff, 'all method and class bits, none of the top two');
    assert.equal(errorCode(401, 'Unauthorized').toString('hex'), '00000401' + Buffer.from('Unauthorized').toString('hex'));
    assert.equal(errorCode(438, 'Stale Nonce').subarray(0, 4).toString('hex'), '00000426');
  });

  it('§2.1 request: encodes byte for byte (short-term MESSAGE-INTEGRITY, FINGERPRINT) and verifies both', () => {
    const encoded = encodeMessage(
      BINDING_REQUEST,
      TRANSACTION_ID,
      [
        attribute(ATTR.SOFTWARE, Buffer.from(REQUEST.software), SPACE),
        attribute(ATTR.PRIORITY, REQUEST.priority),
        attribute(ATTR.ICE_CONTROLLED, REQUEST.iceControlled),
        attribute(ATTR.USERNAME, Buffer.from(REQUEST.username), SPACE),
      ],
      { integrityKey: shortTermKey, fingerprint: true },
    );
    assert.equal(encoded.toString('hex'), REQUEST.bytes.toString('hex'));
    const parsed = parseMessage(REQUEST.bytes);
    assert.ok(parsed);
    assert.deepEqual(
      parsed.list.map((a) => a.type),
      [ATTR.SOFTWARE, ATTR.PRIORITY, ATTR.ICE_CONTROLLED, ATTR.USERNAME, ATTR.MESSAGE_INTEGRITY, ATTR.FINGERPRINT],
    );
    assert.equal(parsed.attributes.get(ATTR.USERNAME)?.toString(), REQUEST.username, 'padding is not part of the value');
    assert.ok(verifyIntegrity(REQUEST.bytes, shortTermKey));
    assert.ok(!verifyIntegrity(REQUEST.bytes, Buffer.from('wrong')));
    assert.ok(verifyFingerprint(REQUEST.bytes));
    assert.ok(!verifyFingerprint(flipped(REQUEST.bytes, 30)));
    assert.ok(!verifyIntegrity(flipped(REQUEST.bytes, 30), shortTermKey));
  });

  it('§2.2 IPv4 response: encodes byte for byte and reads 192.0.2.1:32853', () => {
    const encoded = encodeMessage(
      BINDING_SUCCESS,
      TRANSACTION_ID,
      [attribute(ATTR.SOFTWARE, Buffer.from(IPV4_RESPONSE.software), SPACE), attribute(ATTR.XOR_MAPPED_ADDRESS, xorMappedAddress(IPV4_RESPONSE.mapped, TRANSACTION_ID))],
      { integrityKey: shortTermKey, fingerprint: true },
    );
    assert.equal(encoded.toString('hex'), IPV4_RESPONSE.bytes.toString('hex'));
    const parsed = parseMessage(IPV4_RESPONSE.bytes);
    assert.deepEqual(decodeAddress(parsed?.attributes.get(ATTR.XOR_MAPPED_ADDRESS), true, parsed?.transactionId), IPV4_RESPONSE.mapped);
    assert.ok(verifyIntegrity(IPV4_RESPONSE.bytes, shortTermKey));
    assert.ok(verifyFingerprint(IPV4_RESPONSE.bytes));
  });

  it('§2.3 IPv6 response: encodes byte for byte (address XOR-ed with cookie and transaction id) and reads it back', () => {
    const encoded = encodeMessage(
      BINDING_SUCCESS,
      TRANSACTION_ID,
      [attribute(ATTR.SOFTWARE, Buffer.from(IPV6_RESPONSE.software), SPACE), attribute(ATTR.XOR_MAPPED_ADDRESS, xorMappedAddress(IPV6_RESPONSE.mapped, TRANSACTION_ID))],
      { integrityKey: shortTermKey, fingerprint: true },
    );
    assert.equal(encoded.toString('hex'), IPV6_RESPONSE.bytes.toString('hex'));
    const parsed = parseMessage(IPV6_RESPONSE.bytes);
    assert.deepEqual(decodeAddress(parsed?.attributes.get(ATTR.XOR_MAPPED_ADDRESS), true, parsed?.transactionId), IPV6_RESPONSE.mapped);
    assert.ok(verifyIntegrity(IPV6_RESPONSE.bytes, shortTermKey));
    assert.ok(verifyFingerprint(IPV6_RESPONSE.bytes));
    assert.throws(() => xorMappedAddress(IPV6_RESPONSE.mapped), /transaction id/, 'IPv6 cannot be XOR-ed without it');
  });

  it('§2.4 long-term request: MD5(user:realm:password) key, encodes byte for byte, no FINGERPRINT', () => {
    const s = LONG_TERM_REQUEST;
    const key = longTermKey(s.username, s.realm, s.preparedPassword);
    const encoded = encodeMessage(
      BINDING_REQUEST,
      s.transactionId,
      [attribute(ATTR.USERNAME, Buffer.from(s.username)), attribute(ATTR.NONCE, Buffer.from(s.nonce)), attribute(ATTR.REALM, Buffer.from(s.realm))],
      { integrityKey: key },
    );
    assert.equal(encoded.toString('hex'), s.bytes.toString('hex'));
    assert.ok(verifyIntegrity(s.bytes, key));
    assert.ok(!verifyIntegrity(s.bytes, longTermKey(s.username, s.realm, 'The\u00adM\u00aatr\u2168')), 'the unprepared password is another key');
    assert.ok(!verifyFingerprint(s.bytes), 'no FINGERPRINT in this sample');
  });
});

describe('test-side IKEv2 encoder (fakeResponders.ts)', () => {
  const spiI = Buffer.from('0102030405060708', 'hex');

  it('NAT detection hashes match the known answers (RFC 7296 §2.23) for IPv4 and IPv6', () => {
    assert.equal(natDetectionHash(spiI, Buffer.alloc(8), '192.0.2.1', 500).toString('hex'), '644b4575455bd6fcc1efe2be8162a9218e448e5f');
    assert.equal(natDetectionHash(spiI, Buffer.alloc(8), '2001:db8::1', 500).toString('hex'), '7fa12a60a3a27ef1b3fed26cc6d5b8fbf553292f');
  });

  it('builds strongSwan\'s 36-byte no-config answer: header (RFC 7296 §3.1) and N(NO_PROPOSAL_CHOSEN) (§3.10)', () => {
    const spiR = Buffer.from('a1a2a3a4a5a6a7a8', 'hex');
    const expected =
      '0102030405060708' + 'a1a2a3a4a5a6a7a8' + // SPIi, SPIr
      '29' + '20' + '22' + '20' + // next payload N, version 2.0, IKE_SA_INIT, flags Response
      '00000000' + '00000024' + // message id 0, length 36
      '00' + '00' + '0008' + '00' + '00' + '000e'; // last payload, not critical, length 8, protocol 0, no SPI, type 14
    assert.equal(ikeMessage(spiI, spiR, [{ type: 41, body: notifyBody(14) }]).toString('hex'), expected);
  });
});

describe('test-side OpenVPN wrapping (openvpnWire.ts) against resets a live OpenVPN 2.6.14 accepted', () => {
  // The known-answer key: sha256("kat-openvpn-static-key-<i>") for i = 0..7, as test/fixtures/probes/kat.key says.
  const KEY = Buffer.concat(Array.from({ length: 8 }, (_, i) => createHash('sha256').update(`kat-openvpn-static-key-${i}`).digest()));
  const SID = Buffer.from('0102030405060708', 'hex');
  const reset = { op: OP.clientResetV2, sessionId: SID, packetId: 1, time: 1700000000, plaintext: reliableHeader([], undefined, 0) };
  const vectors: Array<[ControlWrapping, string]> = [
    [{ kind: 'plain' }, '3801020304050607080000000000'],
    [{ kind: 'tls-auth', key: KEY, direction: 1, digest: 'sha1' }, '3801020304050607086b6929c2e2544bb01f038d47c26eb29b29353d27000000016553f1000000000000'],
    [
      { kind: 'tls-auth', key: KEY, direction: 1, digest: 'sha256' },
      '3801020304050607082c4301a51f3327c6b4eb6915939f5541831e3f39eee9918748677aac9cf3ffff000000016553f1000000000000',
    ],
    [{ kind: 'tls-crypt', key: KEY }, '380102030405060708000000016553f100316624520fd038ff3ffddcb71afb9b78fd133e77483f5123d2e2274ef1b7e2177d73d2b878'],
  ];

  it('the fixture key file holds the known-answer key', () => {
    const hexBody = readFixture('kat.key')
      .split('\n')
      .filter((line) => /^[0-9a-f]+$/.test(line.trim()))
      .join('');
    assert.equal(hexBody, KEY.toString('hex'));
  });

  for (const [wrapping, hex] of vectors) {
    const name = wrapping.kind === 'tls-auth' ? `tls-auth ${wrapping.digest}` : wrapping.kind;
    it(`${name}: the client reset is byte for byte the accepted one, and the fake server takes it`, () => {
      assert.equal(wrapControl(wrapping, 'client', reset).toString('hex'), hex);
      const packet = Buffer.from(hex, 'hex');
      assert.ok(isClientReset(packet, wrapping)?.equals(SID));
      assert.deepEqual(unwrapControl(wrapping, 'client', packet)?.plaintext, reliableHeader([], undefined, 0));
    });
  }

  it('a server answer opens only with the client\'s keys, and the server drops a reset made with the other direction', () => {
    const dir1: ControlWrapping = { kind: 'tls-auth', key: KEY, direction: 1, digest: 'sha1' };
    const dir0: ControlWrapping = { ...dir1, direction: 0 };
    const reply = openVpnServerReply(dir1, SID);
    const opened = unwrapControl(dir1, 'server', reply);
    assert.equal(opened?.op, OP.serverResetV2);
    assert.deepEqual(opened?.plaintext, reliableHeader([0], SID, 0), 'acks our packet-id 0 of session SID, message packet-id 0');
    assert.equal(unwrapControl(dir0, 'server', reply), undefined);
    assert.equal(isClientReset(wrapControl(dir0, 'client', reset), dir1), undefined);
    assert.equal(isClientReset(wrapControl(dir1, 'server', reset), dir1), undefined, 'a server-direction packet is not from the client');
    const crypt: ControlWrapping = { kind: 'tls-crypt', key: KEY };
    assert.equal(unwrapControl(crypt, 'client', openVpnServerReply(crypt, SID)), undefined, 'tls-crypt keys differ by direction');
  });

  it('tls-crypt-v2: a V3 reset is tls-crypt with Kc and WKc appended; another WKc is dropped', () => {
    const wkc = Buffer.concat([Buffer.alloc(30, 0x22), Buffer.from([0, 32])]);
    const v2: ControlWrapping = { kind: 'tls-crypt-v2', key: KEY, wkc };
    const v3reset = wrapControl(v2, 'client', { ...reset, op: OP.clientResetV3 });
    const v1reset = wrapControl({ kind: 'tls-crypt', key: KEY }, 'client', { ...reset, op: OP.clientResetV3 });
    assert.ok(v3reset.equals(Buffer.concat([v1reset, wkc])));
    assert.ok(isClientReset(v3reset, v2)?.equals(SID));
    assert.equal(isClientReset(v3reset, { ...v2, wkc: Buffer.concat([Buffer.alloc(30, 0x23), Buffer.from([0, 32])]) }), undefined);
    assert.equal(isClientReset(wrapControl(v2, 'client', reset), v2), undefined, 'a V2 opcode is not what a tls-crypt-v2 server takes');
  });
});

describe('test-side WireGuard responder (wireguardResponder.ts) against an initiation wireguard-go accepted', () => {
  const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
  const INITIATOR_PUBLIC = b64('qHwXsTsQz+kC1sntBm28nbbm4AKBN4r3UmUYprgD7Fo=');
  const RESPONDER_PRIVATE = b64('oK/KSSAUGeO+iYwey90tOch4zRUZwgmaDTIchh+i+k4=');
  const EPHEMERAL_PUBLIC = Buffer.from('1df04113e320f96184ec01c1cc8d1d6ec026aec78480b44b866f6978bc88f87d', 'hex');
  const INITIATION = Buffer.from(
    '01000000010203041df04113e320f96184ec01c1cc8d1d6ec026aec78480b44b' +
      '866f6978bc88f87d16ffa1e6b2f897e82c4351c29c5aadecbde2802dc1202e1f' +
      '78cc5389ddcdd90d2ce091d3e40dff5bf575d20de7e1aa372e1fe6155a52811e' +
      'e26e6102dae5093a31715685e2cd9db374e8924053d3c0dda88d73c7d13491ca' +
      '50b479e500000000000000000000000000000000',
    'hex',
  );

  it('checks mac1 and opens the initiator\'s static key and TAI64N timestamp', () => {
    const consumed = consumeInitiation(INITIATION, RESPONDER_PRIVATE);
    assert.ok(consumed);
    assert.equal(consumed.senderIndex, 0x04030201);
    assert.ok(consumed.ephemeral.equals(EPHEMERAL_PUBLIC));
    assert.ok(consumed.initiatorStatic.equals(INITIATOR_PUBLIC));
    assert.equal(consumed.timestamp.toString('hex'), '400000006553f10a00000000', 'unix 1700000000');
    assert.equal(consumeInitiation(flipped(INITIATION, 120), RESPONDER_PRIVATE), undefined, 'bad mac1: silence');
  });

  it('answers a known peer with a 92-byte response to its sender index, and nobody else', () => {
    const answer = respond(INITIATION, RESPONDER_PRIVATE, [{ publicKey: INITIATOR_PUBLIC }]);
    assert.ok(answer);
    assert.equal(answer.length, 92);
    assert.equal(answer.readUInt32LE(0), 2, 'type 2, reserved zero');
    assert.equal(answer.readUInt32LE(8), 0x04030201, 'receiver index = the initiator\'s sender index');
    assert.ok(answer.subarray(76).equals(Buffer.alloc(16)), 'mac2 is zero without a cookie');
    assert.equal(respond(INITIATION, RESPONDER_PRIVATE, [{ publicKey: Buffer.alloc(32, 5) }]), undefined);
  });
});

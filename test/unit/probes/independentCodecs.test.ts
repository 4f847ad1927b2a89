// The test doubles answer the probes with encoders that share no code with src/core (the lab's
// stunWire.ts, the IKE chain in fakeResponders.ts, openvpnWire.ts, wireguardResponder.ts). Here each
// of those encoders is proven on its own against bytes that did not come from this repository's
// product code: the RFC 5769 sample messages, and messages live servers accepted (a strongSwan
// answer, OpenVPN 2.6.14 client resets, a wireguard-go handshake initiation).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
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
import { IPV4_RESPONSE, IPV6_RESPONSE, LONG_TERM_REQUEST, REQUEST, SHORT_TERM_PASSWORD, TRANSACTION_ID } from './rfc5769';

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

// The one STUN codec against literal bytes: the four RFC 5769 sample messages (decoded, their
// MESSAGE-INTEGRITY and FINGERPRINT verified, and re-encoded byte for byte), the RFC 8489 rules a
// diagnostic depends on (FINGERPRINT last, unknown comprehension-required attributes), and RFC 5952
// address text. Nothing here is built with the codec under test except the re-encodings.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeBindingResponse } from '../../../src/core/stun/binding';
import { longTermKey, shortTermKey } from '../../../src/core/stun/credentials';
import { ATTR, decodeAddress, decodeXorAddress, encodeXorAddress } from '../../../src/core/stun/stunAttributes';
import {
  METHOD,
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  messageType,
  splitMessageType,
  unknownComprehensionRequired,
  verifyIntegrity,
} from '../../../src/core/stun/stunMessage';
import { formatIpBytes, ipToBytes } from '../../../src/core/net/ipText';
import { IPV4_RESPONSE, IPV6_RESPONSE, LONG_TERM_REQUEST, REQUEST, SHORT_TERM_PASSWORD } from './rfc5769';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const SAMPLE_PASSWORD = SHORT_TERM_PASSWORD;
const SAMPLE_REQUEST = REQUEST.bytes;
const SAMPLE_IPV4_RESPONSE = IPV4_RESPONSE.bytes;
const SAMPLE_IPV6_RESPONSE = IPV6_RESPONSE.bytes;
const SAMPLE_LONG_TERM_REQUEST = LONG_TERM_REQUEST.bytes;
const LONG_TERM_USER = LONG_TERM_REQUEST.username;

describe('RFC 5769 sample messages', () => {
  it('§2.1 request: decodes, FINGERPRINT and short-term MESSAGE-INTEGRITY verify, re-encodes byte for byte', () => {
    const message = decodeStunMessage(SAMPLE_REQUEST);
    assert.ok(message);
    assert.equal(message.method, METHOD.binding);
    assert.equal(message.cls, 'request');
    assert.equal(message.fingerprint, true);
    assert.equal(getAttribute(message, ATTR.SOFTWARE)?.toString(), 'STUN test client');
    assert.equal(getAttribute(message, ATTR.USERNAME)?.toString(), 'evtj:h6vY');
    assert.ok(verifyIntegrity(message, shortTermKey(SAMPLE_PASSWORD)));
    assert.ok(!verifyIntegrity(message, shortTermKey('wrong')));
    const again = encodeStunMessage(
      METHOD.binding,
      'request',
      message.transactionId,
      message.attributes.filter((a) => a.type !== ATTR.MESSAGE_INTEGRITY && a.type !== ATTR.FINGERPRINT),
      { integrity: { key: shortTermKey(SAMPLE_PASSWORD) }, fingerprint: true, paddingByte: 0x20 },
    );
    assert.equal(again.toString('hex'), SAMPLE_REQUEST.toString('hex'));
  });

  it('§2.2 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853, integrity and fingerprint verify, re-encodes', () => {
    const message = decodeStunMessage(SAMPLE_IPV4_RESPONSE);
    assert.ok(message);
    assert.ok(verifyIntegrity(message, shortTermKey(SAMPLE_PASSWORD)));
    const response = decodeBindingResponse(SAMPLE_IPV4_RESPONSE);
    assert.deepEqual(response?.xorMappedAddress, { address: '192.0.2.1', port: 32853, family: 'IPv4' });
    assert.equal(response?.software, 'test vector');
    const again = encodeStunMessage(
      METHOD.binding,
      'success',
      message.transactionId,
      [
        { type: ATTR.SOFTWARE, value: Buffer.from('test vector') },
        { type: ATTR.XOR_MAPPED_ADDRESS, value: encodeXorAddress({ address: '192.0.2.1', port: 32853 }, message.transactionId) },
      ],
      { integrity: { key: shortTermKey(SAMPLE_PASSWORD) }, fingerprint: true, paddingByte: 0x20 },
    );
    assert.equal(again.toString('hex'), SAMPLE_IPV4_RESPONSE.toString('hex'));
  });

  it('§2.3 IPv6 response: XOR-MAPPED-ADDRESS 2001:db8:1234:5678:11:2233:4455:6677 port 32853', () => {
    const message = decodeStunMessage(SAMPLE_IPV6_RESPONSE);
    assert.ok(message);
    assert.ok(verifyIntegrity(message, shortTermKey(SAMPLE_PASSWORD)));
    const response = decodeBindingResponse(SAMPLE_IPV6_RESPONSE);
    assert.deepEqual(response?.xorMappedAddress, { address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853, family: 'IPv6' });
    const again = encodeStunMessage(
      METHOD.binding,
      'success',
      message.transactionId,
      [
        { type: ATTR.SOFTWARE, value: Buffer.from('test vector') },
        { type: ATTR.XOR_MAPPED_ADDRESS, value: encodeXorAddress({ address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 }, message.transactionId) },
      ],
      { integrity: { key: shortTermKey(SAMPLE_PASSWORD) }, fingerprint: true, paddingByte: 0x20 },
    );
    assert.equal(again.toString('hex'), SAMPLE_IPV6_RESPONSE.toString('hex'));
  });

  it('§2.4 long-term credentials: the MD5 key of user:realm:password verifies MESSAGE-INTEGRITY, re-encodes', () => {
    const message = decodeStunMessage(SAMPLE_LONG_TERM_REQUEST);
    assert.ok(message);
    assert.equal(message.fingerprint, false);
    assert.equal(getAttribute(message, ATTR.USERNAME)?.toString('utf8'), LONG_TERM_USER);
    assert.equal(getAttribute(message, ATTR.REALM)?.toString(), 'example.org');
    assert.equal(getAttribute(message, ATTR.NONCE)?.toString(), 'f//499k954d6OL34oL9FSTvy64sA');
    const key = longTermKey(LONG_TERM_USER, 'example.org', 'TheMatrIX');
    assert.ok(verifyIntegrity(message, key));
    assert.ok(!verifyIntegrity(message, longTermKey(LONG_TERM_USER, 'example.org', 'TheMatrix')));
    const again = encodeStunMessage(
      METHOD.binding,
      'request',
      message.transactionId,
      message.attributes.filter((a) => a.type !== ATTR.MESSAGE_INTEGRITY),
      { integrity: { key } },
    );
    assert.equal(again.toString('hex'), SAMPLE_LONG_TERM_REQUEST.toString('hex'));
  });
});

describe('STUN message rules (RFC 8489)', () => {
  const tid = hex('0102030405060708090a0b0c');

  it('puts the class bits between the method bits (§5): Allocate error is 0x0113, Binding success 0x0101', () => {
    assert.equal(messageType(METHOD.allocate, 'error'), 0x0113);
    assert.equal(messageType(METHOD.binding, 'success'), 0x0101);
    assert.equal(messageType(METHOD.refresh, 'request'), 0x0004);
    assert.equal(messageType(0xfff, 'indication'), 0x3eff);
    for (const cls of ['request', 'indication', 'success', 'error'] as const) {
      for (const method of [0x001, 0x003, 0x07f, 0x080, 0xfff]) assert.deepEqual(splitMessageType(messageType(method, cls)), { method, cls });
    }
  });

  it('drops a message whose FINGERPRINT is not the last attribute (§14.7)', () => {
    const good = encodeStunMessage(METHOD.binding, 'success', tid, [{ type: ATTR.XOR_MAPPED_ADDRESS, value: hex('0001a147e112a643') }], { fingerprint: true });
    assert.ok(decodeStunMessage(good));
    // Move the (valid) FINGERPRINT before another attribute and fix the length: still not last.
    const fp = good.subarray(good.length - 8);
    const software = hex('80220004 74657374');
    const moved = Buffer.concat([good.subarray(0, good.length - 8), fp, software]);
    moved.writeUInt16BE(moved.length - 20, 2);
    assert.equal(decodeStunMessage(moved), undefined);
    assert.equal(decodeBindingResponse(moved), null);
  });

  it('drops a wrong FINGERPRINT and a FINGERPRINT of the wrong length', () => {
    const good = encodeStunMessage(METHOD.binding, 'success', tid, [], { fingerprint: true });
    const bad = Buffer.from(good);
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1;
    assert.equal(decodeStunMessage(bad), undefined);
    const shortFp = Buffer.concat([good.subarray(0, 20), hex('80280000')]);
    shortFp.writeUInt16BE(4, 2);
    assert.equal(decodeStunMessage(shortFp), undefined);
  });

  it('names unknown comprehension-required attributes and ignores unknown optional ones (§14)', () => {
    const message = decodeStunMessage(
      encodeStunMessage(METHOD.binding, 'success', tid, [
        { type: ATTR.XOR_MAPPED_ADDRESS, value: hex('0001a147e112a643') },
        { type: 0x7777, value: hex('00') },
        { type: 0xc001, value: hex('00') },
      ]),
    );
    assert.ok(message);
    assert.deepEqual(unknownComprehensionRequired(message), [0x7777]);
    const response = decodeBindingResponse(message.raw);
    assert.deepEqual(response?.unknownAttributes, [0x7777]);
    assert.equal(decodeBindingResponse(encodeStunMessage(METHOD.binding, 'success', tid, [{ type: 0xc001, value: hex('00') }]))?.unknownAttributes, undefined);
  });

  it('ignores attributes after MESSAGE-INTEGRITY except MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (§14.5)', () => {
    const key = shortTermKey('secret');
    const signed = encodeStunMessage(METHOD.binding, 'success', tid, [{ type: ATTR.XOR_MAPPED_ADDRESS, value: hex('0001a147e112a643') }], { integrity: { key } });
    const trailer = Buffer.concat([signed, hex('80220004 65766c21')]);
    trailer.writeUInt16BE(trailer.length - 20, 2);
    const message = decodeStunMessage(trailer);
    assert.ok(message);
    assert.equal(getAttribute(message, ATTR.SOFTWARE), undefined, 'SOFTWARE after MESSAGE-INTEGRITY is not believed');
    assert.ok(verifyIntegrity(message, key));
  });

  it('MESSAGE-INTEGRITY-SHA256 round trip (§14.6), checked before the SHA-1 one', () => {
    const key = longTermKey('user', 'realm', 'pass', 'sha256');
    assert.equal(key.length, 32);
    const message = decodeStunMessage(encodeStunMessage(METHOD.allocate, 'request', tid, [{ type: ATTR.USERNAME, value: Buffer.from('user') }], { integrity: { key, algorithm: 'sha256' }, fingerprint: true }));
    assert.ok(message);
    assert.equal(getAttribute(message, ATTR.MESSAGE_INTEGRITY_SHA256)?.length, 32);
    assert.ok(verifyIntegrity(message, key));
    assert.ok(!verifyIntegrity(message, longTermKey('user', 'realm', 'other', 'sha256')));
  });

  it('decodes legacy RFC 3489 addresses and refuses other shapes', () => {
    assert.deepEqual(decodeAddress(hex('00010d96cb00710a')), { address: '203.0.113.10', port: 3478, family: 'IPv4' });
    assert.equal(decodeAddress(hex('00030d96cb00710a')), undefined);
    assert.equal(decodeXorAddress(hex('0001a147e112a6'), tid), undefined);
  });

  it('never throws on mutated sample messages (bounded fuzz)', () => {
    for (const sample of [SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE, SAMPLE_LONG_TERM_REQUEST]) {
      for (let i = 0; i < 2000; i++) {
        const packet = Buffer.from(sample);
        for (let k = 0; k < 1 + (i % 3); k++) packet[(i * 7 + k * 13) % packet.length] = (i * 31 + k * 17) & 0xff;
        const cut = i % 5 === 0 ? packet.subarray(0, (i * 11) % packet.length) : packet;
        assert.doesNotThrow(() => {
          const m = decodeStunMessage(cut);
          if (m) {
            unknownComprehensionRequired(m);
            verifyIntegrity(m, shortTermKey(SAMPLE_PASSWORD));
          }
          decodeBindingResponse(cut);
        });
      }
    }
  });
});

describe('IP address text (RFC 5952)', () => {
  const cases: Array<[string, string]> = [
    ['20010db8000000000001000000000000', '2001:db8:0:0:1::'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000100000000000100000001', '2001:db8:1::1:0:1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'],
    ['20010db8000000000000000100000000', '2001:db8::1:0:0'],
    ['fe800000000000000000000000000001', 'fe80::1'],
    ['20010db8aaaa0bbbcccc0ddd0eee0fff', '2001:db8:aaaa:bbb:cccc:ddd:eee:fff'],
  ];
  for (const [bytes, text] of cases) {
    it(`${bytes} → ${text}`, () => {
      assert.equal(formatIpBytes(hex(bytes)), text);
      assert.equal(ipToBytes(text)?.toString('hex'), bytes);
    });
  }
  it('the longest zero run wins over the first one (§4.2.3)', () => {
    assert.equal(formatIpBytes(hex('20010db8000000000001000000000000')), '2001:db8:0:0:1::');
  });
  it('IPv4 text and refusals', () => {
    assert.equal(formatIpBytes(hex('c0000201')), '192.0.2.1');
    assert.equal(ipToBytes('192.0.2.01'), undefined);
    assert.equal(ipToBytes('2001:db8::1::1'), undefined);
    assert.equal(ipToBytes('fe80::1%eth0')?.toString('hex'), 'fe800000000000000000000000000001');
  });
});

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildAllocate, buildRelease, parseAllocateAnswer, parseRefreshAnswer } from '../../../src/core/probes/turn/turnAllocate';
import { decodeBindingResponse, encodeBindingRequest } from '../../../src/core/stun/binding';
import { longTermKey, shortTermKey } from '../../../src/core/stun/credentials';
import { ATTR as PRODUCT_ATTR } from '../../../src/core/stun/stunAttributes';
import { METHOD as PRODUCT_METHOD, decodeStunMessage as decodeStun, encodeStunMessage, verifyIntegrity as verifyMessageIntegrity } from '../../../src/core/stun/stunMessage';
import * as wire from '../../lab/stunWire';
import { IPV4_RESPONSE, IPV6_RESPONSE, LONG_TERM_REQUEST, REQUEST, SHORT_TERM_PASSWORD, TRANSACTION_ID } from '../stun/rfc5769';

const TID = Buffer.from('0102030405060708090a0b0c', 'hex');

// Answers are built with the test side's own codec (test/lab/stunWire.ts, proven against RFC 5769),
// and the probe's requests are read with it: the product's codec never checks itself.
const { ATTR, attribute } = wire;
const type = (method: number, cls: number): number => wire.messageType(method, cls);
const ALLOCATE_ERROR = type(wire.METHOD.ALLOCATE, wire.CLASS.error);
const ALLOCATE_SUCCESS = type(wire.METHOD.ALLOCATE, wire.CLASS.success);
const REFRESH_SUCCESS = type(wire.METHOD.REFRESH, wire.CLASS.success);
const REFRESH_ERROR = type(wire.METHOD.REFRESH, wire.CLASS.error);
const xorAddress = (attr: number, address: string, port: number): Buffer => attribute(attr, wire.xorMappedAddress({ address, port }, TID));
const errorCode = (code: number, reason: string): Buffer => attribute(ATTR.ERROR_CODE, wire.errorCode(code, reason));
const text = (attr: number, value: string): Buffer => attribute(attr, Buffer.from(value, 'utf8'));
const attributeTypes = (packet: Buffer): number[] | undefined => wire.parseMessage(packet)?.list.map((a) => a.type);

describe('STUN codec', () => {
  it('encodes the known-answer Binding Request with FINGERPRINT', () => {
    const request = encodeBindingRequest({ transactionId: TID }).packet;
    assert.equal(request.toString('hex'), '000100082112a4420102030405060708090a0b0c802800045b20f9cc');
    assert.ok(wire.verifyFingerprint(request));
  });
  it('matches the RFC 5769 §2.4 long-term credential key derivation and verifies its own MESSAGE-INTEGRITY', () => {
    // RFC 5769 §2.4 uses user "<U+30DE><U+30C8><U+30EA><U+30C3><U+30AF><U+30B9>", realm "example.org", password "TheMatrIX" (SASLprep'd).
    const key = longTermKey('\u30de\u30c8\u30ea\u30c3\u30af\u30b9', 'example.org', 'TheMatrIX');
    assert.equal(key.length, 16);
    const msg = encodeStunMessage(PRODUCT_METHOD.allocate, 'request', TID, [{ type: PRODUCT_ATTR.USERNAME, value: Buffer.from('u') }], { integrity: { key }, fingerprint: true });
    const decoded = decodeStun(msg);
    assert.ok(decoded);
    assert.ok(verifyMessageIntegrity(decoded, key));
    assert.ok(!verifyMessageIntegrity(decoded, Buffer.alloc(16)));
    assert.ok(wire.verifyIntegrity(msg, key) && wire.verifyFingerprint(msg), 'and the test side agrees');
    const sample = decodeStun(LONG_TERM_REQUEST.bytes);
    assert.ok(sample && verifyMessageIntegrity(sample, key), 'the RFC 5769 §2.4 sample verifies with that key');
  });
  it('reads XOR-MAPPED-ADDRESS from a Binding success (192.0.2.1:32853 = 0001 a147 e112a643)', () => {
    const answer = wire.encodeMessage(wire.BINDING_SUCCESS, TID, [attribute(ATTR.XOR_MAPPED_ADDRESS, Buffer.from('0001a147e112a643', 'hex'))]);
    assert.deepEqual(decodeBindingResponse(answer)?.xorMappedAddress, { family: 'IPv4', address: '192.0.2.1', port: 32853 });
    assert.equal(decodeBindingResponse(answer)?.transactionId.equals(Buffer.alloc(12)), false, 'another transaction');
  });
  it('reads the RFC 5769 §2.2 (IPv4) and §2.3 (IPv6) sample responses and verifies the §2.1 request', () => {
    const v4 = decodeBindingResponse(IPV4_RESPONSE.bytes);
    assert.ok(v4?.transactionId.equals(TRANSACTION_ID));
    assert.deepEqual({ mapped: v4?.xorMappedAddress, software: v4?.software }, { mapped: { family: 'IPv4', ...IPV4_RESPONSE.mapped }, software: 'test vector' });
    const v6 = decodeBindingResponse(IPV6_RESPONSE.bytes);
    assert.deepEqual({ mapped: v6?.xorMappedAddress, software: v6?.software }, { mapped: { family: 'IPv6', ...IPV6_RESPONSE.mapped }, software: 'test vector' });
    const request = decodeStun(REQUEST.bytes);
    assert.ok(request && verifyMessageIntegrity(request, shortTermKey(SHORT_TERM_PASSWORD)));
    assert.ok(!verifyMessageIntegrity(request, Buffer.from('VOkJxbRl1RmTxUk/WvJxBu')));
  });
});

describe('TURN Allocate with long-term credentials', () => {
  const key = longTermKey('alice', 'lab.example', 'not-a-real-password');
  const auth = { username: 'alice', realm: 'lab.example', nonce: Buffer.from('abcdef0123'), key };
  /** The key as the server derives it, independently of the product. */
  const serverKey = wire.longTermKey('alice', 'lab.example', 'not-a-real-password');

  it('first asks without credentials, with REQUESTED-TRANSPORT UDP', () => {
    const packet = buildAllocate(TID);
    const msg = wire.parseMessage(packet);
    assert.ok(msg);
    assert.equal(msg.type, type(wire.METHOD.ALLOCATE, wire.CLASS.request));
    assert.deepEqual(attributeTypes(packet), [ATTR.REQUESTED_TRANSPORT, ATTR.FINGERPRINT]);
    assert.equal(msg.list[0]?.value[0], 17);
    assert.ok(wire.verifyFingerprint(packet));
  });
  it('reads the 401 challenge: realm and nonce', () => {
    const challenge = wire.encodeMessage(ALLOCATE_ERROR, TID, [errorCode(401, 'Unauthorized'), text(ATTR.REALM, 'lab.example'), text(ATTR.NONCE, 'n0nce')]);
    const answer = parseAllocateAnswer(challenge, TID);
    assert.deepEqual(answer, { kind: 'challenge', code: 401, realm: 'lab.example', nonce: Buffer.from('n0nce') });
  });
  it('authenticates with USERNAME, REALM, NONCE and a MESSAGE-INTEGRITY the server can check', () => {
    const packet = buildAllocate(TID, auth);
    assert.deepEqual(attributeTypes(packet), [ATTR.REQUESTED_TRANSPORT, ATTR.USERNAME, ATTR.REALM, ATTR.NONCE, ATTR.MESSAGE_INTEGRITY, ATTR.FINGERPRINT]);
    assert.ok(wire.verifyIntegrity(packet, serverKey));
    assert.ok(wire.verifyFingerprint(packet));
    assert.ok(!buildAllocate(TID, auth).includes(Buffer.from('not-a-real-password')), 'the password never goes on the wire');
  });
  it('reads the relayed address, lifetime and integrity of a success', () => {
    const success = wire.encodeMessage(
      ALLOCATE_SUCCESS,
      TID,
      [xorAddress(ATTR.XOR_RELAYED_ADDRESS, '203.0.113.10', 49152), xorAddress(ATTR.XOR_MAPPED_ADDRESS, '203.0.113.1', 40000), attribute(ATTR.LIFETIME, wire.uint32(600))],
      { integrityKey: serverKey },
    );
    const answer = parseAllocateAnswer(success, TID, key);
    assert.deepEqual(answer, {
      kind: 'success',
      relayed: { family: 'IPv4', address: '203.0.113.10', port: 49152 },
      mapped: { family: 'IPv4', address: '203.0.113.1', port: 40000 },
      lifetimeSec: 600,
      integrityOk: true,
    });
  });
  it('reads an IPv6 relayed address (RFC 5389 §15.2: XOR-ed with the cookie and the transaction id)', () => {
    const success = wire.encodeMessage(ALLOCATE_SUCCESS, TID, [xorAddress(ATTR.XOR_RELAYED_ADDRESS, '2001:db8::1', 49152)], { integrityKey: serverKey, fingerprint: true });
    const answer = parseAllocateAnswer(success, TID, key);
    assert.deepEqual(answer, { kind: 'success', relayed: { family: 'IPv6', address: '2001:db8::1', port: 49152 }, integrityOk: true });
  });
  it('writes an IPv6 relayed address with the longest zero run compressed (RFC 5952 §4.2.3)', () => {
    const success = wire.encodeMessage(ALLOCATE_SUCCESS, TID, [xorAddress(ATTR.XOR_RELAYED_ADDRESS, '2001:db8:0:0:1:0:0:0', 49152)]);
    const answer = parseAllocateAnswer(success, TID);
    assert.equal(answer?.kind === 'success' ? answer.relayed.address : undefined, '2001:db8:0:0:1::');
  });
  it('releases with Refresh LIFETIME 0 and reads the answer', () => {
    const packet = buildRelease(TID, auth);
    const msg = wire.parseMessage(packet);
    assert.ok(msg);
    assert.equal(msg.type, type(wire.METHOD.REFRESH, wire.CLASS.request));
    assert.equal(msg.list[0]?.type, ATTR.LIFETIME);
    assert.equal(msg.list[0]?.value.readUInt32BE(0), 0);
    assert.ok(wire.verifyIntegrity(packet, serverKey));
    assert.deepEqual(parseRefreshAnswer(wire.encodeMessage(REFRESH_SUCCESS, TID, []), TID), { ok: true });
    assert.deepEqual(parseRefreshAnswer(wire.encodeMessage(REFRESH_ERROR, TID, [errorCode(437, 'Allocation Mismatch')]), TID), { ok: false, code: 437 });
  });
  it('reports other errors with their code', () => {
    const err = wire.encodeMessage(ALLOCATE_ERROR, TID, [errorCode(486, 'Allocation Quota Reached')]);
    assert.deepEqual(parseAllocateAnswer(err, TID), { kind: 'error', code: 486, reason: 'Allocation Quota Reached' });
  });
  it('drops malformed messages: bad cookie, odd length, truncated attribute', () => {
    const good = wire.encodeMessage(ALLOCATE_ERROR, TID, [errorCode(401, 'x')]);
    assert.ok(decodeStun(good), 'the unbroken message decodes');
    const badCookie = Buffer.from(good);
    badCookie[4] = 0;
    assert.equal(decodeStun(badCookie), undefined);
    assert.equal(decodeStun(good.subarray(0, good.length - 1)), undefined);
    const longAttr = Buffer.from(good);
    longAttr.writeUInt16BE(200, 22);
    assert.equal(decodeStun(longAttr), undefined);
  });
});

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  buildAllocate,
  buildBindingRequest,
  buildRelease,
  parseAllocateAnswer,
  parseBindingAnswer,
  parseRefreshAnswer,
} from '../../../src/core/probes/turn/turnAllocate';
import {
  Attr,
  MessageType,
  decodeStun,
  encodeStun,
  longTermKey,
  uint32Attribute,
  utf8Attribute,
  verifyMessageIntegrity,
  type StunAttribute,
} from '../../../src/core/probes/turn/stunMessage';

const TID = Buffer.from('0102030405060708090a0b0c', 'hex');

function xorAddress(type: number, address: string, port: number): StunAttribute {
  const value = Buffer.alloc(8);
  value[1] = 1;
  value.writeUInt16BE(port ^ 0x2112, 2);
  const n = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  value.writeUInt32BE((n ^ 0x2112a442) >>> 0, 4);
  return { type, value };
}
function errorCode(code: number, reason: string): StunAttribute {
  const value = Buffer.concat([Buffer.from([0, 0, Math.floor(code / 100), code % 100]), Buffer.from(reason)]);
  return { type: Attr.errorCode, value };
}

describe('STUN codec', () => {
  it('encodes the §B4.1 known-answer Binding Request with FINGERPRINT', () => {
    assert.equal(buildBindingRequest(TID).toString('hex'), '000100082112a4420102030405060708090a0b0c802800045b20f9cc');
  });
  it('matches the RFC 5769 §2.4 long-term credential key derivation and verifies its own MESSAGE-INTEGRITY', () => {
    // RFC 5769 §2.4 uses user "<U+30DE><U+30C8><U+30EA><U+30C3><U+30AF><U+30B9>", realm "example.org", password "TheMatrIX" (SASLprep'd).
    const key = longTermKey('\u30de\u30c8\u30ea\u30c3\u30af\u30b9', 'example.org', 'TheMatrIX');
    assert.equal(key.length, 16);
    const msg = encodeStun(MessageType.allocateRequest, TID, [utf8Attribute(Attr.username, 'u')], { integrityKey: key, fingerprint: true });
    const decoded = decodeStun(msg);
    assert.ok(decoded);
    assert.ok(verifyMessageIntegrity(decoded, key));
    assert.ok(!verifyMessageIntegrity(decoded, Buffer.alloc(16)));
  });
  it('reads XOR-MAPPED-ADDRESS from a Binding success (192.0.2.1:32853 = 0001 a147 e112a643)', () => {
    const answer = encodeStun(MessageType.bindingSuccess, TID, [{ type: Attr.xorMappedAddress, value: Buffer.from('0001a147e112a643', 'hex') }]);
    assert.deepEqual(parseBindingAnswer(answer, TID), { mapped: { family: 4, address: '192.0.2.1', port: 32853 } });
    assert.equal(parseBindingAnswer(answer, Buffer.alloc(12)), undefined, 'another transaction');
  });
});

describe('TURN Allocate with long-term credentials', () => {
  const key = longTermKey('alice', 'lab.example', 'not-a-real-password');
  const auth = { username: 'alice', realm: 'lab.example', nonce: Buffer.from('abcdef0123'), key };

  it('first asks without credentials, with REQUESTED-TRANSPORT UDP', () => {
    const msg = decodeStun(buildAllocate(TID));
    assert.ok(msg);
    assert.equal(msg.type, MessageType.allocateRequest);
    assert.deepEqual(msg.attributes.map((a) => a.type), [Attr.requestedTransport, Attr.fingerprint]);
    assert.equal(msg.attributes[0]?.value[0], 17);
  });
  it('reads the 401 challenge: realm and nonce', () => {
    const challenge = encodeStun(MessageType.allocateError, TID, [errorCode(401, 'Unauthorized'), utf8Attribute(Attr.realm, 'lab.example'), utf8Attribute(Attr.nonce, 'n0nce')]);
    const answer = parseAllocateAnswer(challenge, TID);
    assert.deepEqual(answer, { kind: 'challenge', code: 401, realm: 'lab.example', nonce: Buffer.from('n0nce') });
  });
  it('authenticates with USERNAME, REALM, NONCE and a MESSAGE-INTEGRITY the server can check', () => {
    const msg = decodeStun(buildAllocate(TID, auth));
    assert.ok(msg);
    assert.deepEqual(msg.attributes.map((a) => a.type), [Attr.requestedTransport, Attr.username, Attr.realm, Attr.nonce, Attr.messageIntegrity, Attr.fingerprint]);
    assert.ok(verifyMessageIntegrity(msg, key));
    assert.ok(!buildAllocate(TID, auth).includes(Buffer.from('not-a-real-password')), 'the password never goes on the wire');
  });
  it('reads the relayed address, lifetime and integrity of a success', () => {
    const success = encodeStun(
      MessageType.allocateSuccess,
      TID,
      [xorAddress(Attr.xorRelayedAddress, '203.0.113.10', 49152), xorAddress(Attr.xorMappedAddress, '203.0.113.1', 40000), uint32Attribute(Attr.lifetime, 600)],
      { integrityKey: key },
    );
    const answer = parseAllocateAnswer(success, TID, key);
    assert.deepEqual(answer, {
      kind: 'success',
      relayed: { family: 4, address: '203.0.113.10', port: 49152 },
      mapped: { family: 4, address: '203.0.113.1', port: 40000 },
      lifetimeSec: 600,
      integrityOk: true,
    });
  });
  it('releases with Refresh LIFETIME 0 and reads the answer', () => {
    const msg = decodeStun(buildRelease(TID, auth));
    assert.ok(msg);
    assert.equal(msg.type, MessageType.refreshRequest);
    assert.equal(msg.attributes[0]?.value.readUInt32BE(0), 0);
    assert.ok(verifyMessageIntegrity(msg, key));
    assert.deepEqual(parseRefreshAnswer(encodeStun(MessageType.refreshSuccess, TID, []), TID), { ok: true });
    assert.deepEqual(parseRefreshAnswer(encodeStun(MessageType.refreshError, TID, [errorCode(437, 'Allocation Mismatch')]), TID), { ok: false, code: 437 });
  });
  it('reports other errors with their code', () => {
    const err = encodeStun(MessageType.allocateError, TID, [errorCode(486, 'Allocation Quota Reached')]);
    assert.deepEqual(parseAllocateAnswer(err, TID), { kind: 'error', code: 486, reason: 'Allocation Quota Reached' });
  });
  it('drops malformed messages: bad cookie, odd length, truncated attribute', () => {
    const good = encodeStun(MessageType.allocateError, TID, [errorCode(401, 'x')]);
    const badCookie = Buffer.from(good);
    badCookie[4] = 0;
    assert.equal(decodeStun(badCookie), undefined);
    assert.equal(decodeStun(good.subarray(0, good.length - 1)), undefined);
    const longAttr = Buffer.from(good);
    longAttr.writeUInt16BE(200, 22);
    assert.equal(decodeStun(longAttr), undefined);
  });
});

import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32 } from '../../lab/stunWire';
import { decodeBindingResponse, encodeBindingRequest } from '../../../src/core/stun/binding';
import { decodeAddress as parseAddressBytes } from '../../../src/core/stun/stunAttributes';

const TID = Buffer.from('0102030405060708090a0b0c', 'hex');

/** Builds a Binding response by hand (FINGERPRINT with the lab codec's own CRC-32), so the decoder is tested against bytes, not against itself. */
function response(type: number, attributes: Buffer[], tid = TID, fingerprint = true): Buffer {
  const body = Buffer.concat(attributes);
  const length = body.length + (fingerprint ? 8 : 0);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(length, 2);
  header.writeUInt32BE(0x2112a442, 4);
  tid.copy(header, 8);
  const withoutFp = Buffer.concat([header, body]);
  if (!fingerprint) return withoutFp;
  const fp = Buffer.alloc(8);
  fp.writeUInt16BE(0x8028, 0);
  fp.writeUInt16BE(4, 2);
  fp.writeUInt32BE((crc32(withoutFp) ^ 0x5354554e) >>> 0, 4);
  return Buffer.concat([withoutFp, fp]);
}

function attr(type: number, valueHex: string): Buffer {
  const value = Buffer.from(valueHex, 'hex');
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  const pad = Buffer.alloc((4 - (value.length % 4)) % 4);
  return Buffer.concat([head, value, pad]);
}

describe('STUN Binding request encoding (known-answer vectors)', () => {
  const cases = [
    { name: 'plain request with FINGERPRINT', options: {}, hex: '000100082112a4420102030405060708090a0b0c802800045b20f9cc' },
    {
      name: 'CHANGE-REQUEST change IP and port',
      options: { changeIp: true, changePort: true },
      hex: '000100102112a4420102030405060708090a0b0c0003000400000006802800045eb7183d',
    },
  ];
  for (const c of cases) {
    it(`encodes a ${c.name} byte for byte`, () => {
      assert.equal(encodeBindingRequest({ ...c.options, transactionId: TID }).packet.toString('hex'), c.hex);
    });
  }

  it('sets only the change-port bit for RFC 5780 filtering test III', () => {
    const { packet } = encodeBindingRequest({ changePort: true, transactionId: TID });
    assert.equal(packet.subarray(20, 28).toString('hex'), '0003000400000002');
  });

  it('uses a fresh random 96-bit transaction id per request', () => {
    const ids = new Set(Array.from({ length: 50 }, () => encodeBindingRequest().transactionId.toString('hex')));
    assert.equal(ids.size, 50);
  });
});

describe('STUN Binding response decoding', () => {
  it('reads XOR-MAPPED-ADDRESS 192.0.2.1:32853 from the RFC 5769 vector bytes', () => {
    const r = decodeBindingResponse(response(0x0101, [attr(0x0020, '0001a147e112a643')]));
    assert.deepEqual(r?.xorMappedAddress, { address: '192.0.2.1', port: 32853, family: 'IPv4' });
  });

  it('reads OTHER-ADDRESS and RESPONSE-ORIGIN (RFC 5780)', () => {
    const r = decodeBindingResponse(
      response(0x0101, [attr(0x802b, '00010d96cb00710a'), attr(0x802c, '00010d97cb00710b')]),
    );
    assert.deepEqual(r?.responseOrigin, { address: '203.0.113.10', port: 3478, family: 'IPv4' });
    assert.deepEqual(r?.otherAddress, { address: '203.0.113.11', port: 3479, family: 'IPv4' });
  });

  it('falls back to the RFC 3489 CHANGED-ADDRESS and SOURCE-ADDRESS of classic servers', () => {
    const r = decodeBindingResponse(
      response(0x0101, [attr(0x0001, '0001d431c6336402'), attr(0x0004, '00010d96cb00710a'), attr(0x0005, '00010d97cb00710b')]),
    );
    assert.deepEqual(r?.mappedAddress, { address: '198.51.100.2', port: 54321, family: 'IPv4' });
    assert.deepEqual(r?.otherAddress, { address: '203.0.113.11', port: 3479, family: 'IPv4' });
    assert.deepEqual(r?.responseOrigin, { address: '203.0.113.10', port: 3478, family: 'IPv4' });
  });

  it('decodes an IPv6 XOR-MAPPED-ADDRESS using the transaction id', () => {
    // 2001:db8::1 port 3478, XORed with cookie ‖ transaction id (RFC 5389 §15.2).
    const addr = Buffer.from('20010db8000000000000000000000001', 'hex');
    const key = Buffer.concat([Buffer.from('2112a442', 'hex'), TID]);
    const x = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) x[i] = (addr[i] as number) ^ (key[i] as number);
    const value = Buffer.concat([Buffer.from([0, 2]), Buffer.from([(3478 ^ 0x2112) >> 8, (3478 ^ 0x2112) & 0xff]), x]);
    const r = decodeBindingResponse(response(0x0101, [attr(0x0020, value.toString('hex'))]));
    assert.deepEqual(r?.xorMappedAddress, { address: '2001:db8::1', port: 3478, family: 'IPv6' });
  });

  it('reads an error response with its code (420 from a server without a second address)', () => {
    const r = decodeBindingResponse(response(0x0111, [attr(0x0009, '00000414' + Buffer.from('Unknown Attribute').toString('hex'))]));
    assert.equal(r?.kind, 'error');
    assert.equal(r?.errorCode, 420);
  });

  it('strips control characters from SOFTWARE so a hostile name cannot reach a terminal', () => {
    const r = decodeBindingResponse(response(0x0101, [attr(0x8022, Buffer.from('evil\u001b[31m\u0007name').toString('hex'))]));
    assert.equal(r?.software, 'evil[31mname');
  });

  const rejected: Array<[string, Buffer]> = [
    ['an empty datagram', Buffer.alloc(0)],
    ['a truncated header', response(0x0101, []).subarray(0, 12)],
    ['a length field that disagrees with the datagram', Buffer.concat([response(0x0101, [attr(0x0020, '0001a147e112a643')]), Buffer.alloc(4)])],
    ['a Binding request (not a response)', response(0x0001, [])],
    ['another method (Allocate success)', response(0x0103, [])],
    ['a wrong magic cookie', (() => { const b = response(0x0101, []); b.writeUInt32BE(0xdeadbeef, 4); return b; })()],
    ['a bad FINGERPRINT', (() => { const b = response(0x0101, [attr(0x0020, '0001a147e112a643')]); b.writeUInt8(b.readUInt8(b.length - 1) ^ 0xff, b.length - 1); return b; })()],
    ['an oversized datagram', response(0x0101, [attr(0x8022, 'aa'.repeat(1600))], TID, false)],
    ['an attribute running past the end', response(0x0101, [Buffer.from('00200040', 'hex')], TID, false)],
    ['an error response without ERROR-CODE', response(0x0111, [])],
  ];
  for (const [name, packet] of rejected) {
    it(`drops ${name} without throwing`, () => {
      assert.equal(decodeBindingResponse(packet), null);
    });
  }

  it('never throws on random or mutated datagrams (bounded fuzz)', () => {
    const valid = response(0x0101, [attr(0x0020, '0001a147e112a643'), attr(0x802c, '00010d97cb00710b')]);
    for (let i = 0; i < 3000; i++) {
      const packet = i % 2 === 0 ? randomBytes(i % 120) : Buffer.from(valid);
      if (i % 2 === 1) for (let k = 0; k < 1 + (i % 4); k++) packet[(i * 7 + k * 13) % packet.length] = (i * 31 + k) & 0xff;
      assert.doesNotThrow(() => decodeBindingResponse(packet));
    }
  });

  it('parses RFC 3489 address bytes and refuses other lengths', () => {
    assert.deepEqual(parseAddressBytes(Buffer.from('00010d96cb00710a', 'hex')), { address: '203.0.113.10', port: 3478, family: 'IPv4' });
    assert.equal(parseAddressBytes(Buffer.from('00030d96cb00710a', 'hex')), undefined);
    assert.equal(parseAddressBytes(Buffer.from('00010d96cb0071', 'hex')), undefined);
  });
});

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  NotifyType,
  buildIkeSaInit,
  describeTransforms,
  ipBytes,
  natDetectionHash,
  parseIkeSaInitResponse,
  stripNonEspMarker,
} from '../../../src/core/probes/ike/ikeSaInit';
import { makeKeyShare, supportsDhGroup } from '../../../src/core/probes/ike/keyShare';
import { ikeMessage, natDetectionHash as testSideNatDetectionHash, notifyBody } from './fakeResponders';

const SPI_I = Buffer.from('0102030405060708', 'hex');
const ZERO = Buffer.alloc(8);

/** A real strongSwan 5.9.8 SA body: AES_CBC-256 / HMAC_SHA2_256_128 / PRF_HMAC_SHA2_256 / MODP_2048. */
const STRONGSWAN_SA_BODY = Buffer.from('0000002c01010004' + '0300000c0100000c800e0100' + '030000080300000c' + '0300000802000005' + '000000080400000e', 'hex');

/** A responder message to our SPI_I, built by the fake responder's own encoder (not the product's). */
const response = (spiR: Buffer, payloads: Array<{ type: number; body: Buffer }>): Buffer => ikeMessage(SPI_I, spiR, payloads);
const notify = notifyBody;

describe('IKEv2 NAT detection hashes (RFC 7296 §2.23)', () => {
  it('match the live-verified known answers for IPv4 and IPv6', () => {
    assert.equal(natDetectionHash(SPI_I, ZERO, '192.0.2.1', 500).toString('hex'), '644b4575455bd6fcc1efe2be8162a9218e448e5f');
    assert.equal(natDetectionHash(SPI_I, ZERO, '2001:db8::1', 500).toString('hex'), '7fa12a60a3a27ef1b3fed26cc6d5b8fbf553292f');
  });

  it('encodes IPv6 literals with :: and an IPv4 tail as 16 raw bytes', () => {
    assert.equal(ipBytes('::1').toString('hex'), '00000000000000000000000000000001');
    assert.equal(ipBytes('2001:db8::').toString('hex'), '20010db8000000000000000000000000');
    assert.equal(ipBytes('::ffff:192.0.2.1').toString('hex'), '00000000000000000000ffffc0000201');
    assert.throws(() => ipBytes('not-an-ip'));
  });
});

describe('IKE_SA_INIT request', () => {
  const share = makeKeyShare(19) as Buffer;
  const nonce = Buffer.alloc(32, 0xab);
  const base = {
    spiI: SPI_I,
    dhGroup: 19,
    keyShare: share,
    nonce,
    natDetectionSource: natDetectionHash(SPI_I, ZERO, '192.0.2.2', 40000),
    natDetectionDestination: natDetectionHash(SPI_I, ZERO, '203.0.113.10', 500),
  };

  it('has a valid header and the payload chain SA, KE, Ni, N(NATD_S), N(NATD_D) with an ECP256 share', () => {
    const msg = buildIkeSaInit(base);
    assert.equal(share.length, 64, 'ECP256 share is x‖y without the 0x04 prefix (RFC 5903 §7)');
    assert.deepEqual([...msg.subarray(0, 8)], [...SPI_I]);
    assert.deepEqual([...msg.subarray(8, 16)], [...ZERO]);
    assert.equal(msg[16], 33);
    assert.equal(msg[17], 0x20);
    assert.equal(msg[18], 34);
    assert.equal(msg[19], 0x08);
    assert.equal(msg.readUInt32BE(24), msg.length);
    // Walk the chain.
    const types: number[] = [];
    let next = msg[16] as number;
    let off = 28;
    while (next !== 0) {
      types.push(next);
      const len = msg.readUInt16BE(off + 2);
      if (next === 34) assert.equal(msg.readUInt16BE(off + 4), 19, 'KE group ECP256');
      next = msg[off] as number;
      off += len;
    }
    assert.equal(off, msg.length);
    assert.deepEqual(types, [33, 34, 40, 41, 41]);
  });

  it('puts N(COOKIE) first when the responder asked for one (RFC 7296 §2.6)', () => {
    const cookie = Buffer.alloc(24, 7);
    const msg = buildIkeSaInit({ ...base, cookie });
    assert.equal(msg[16], 41);
    assert.equal(msg.readUInt16BE(28 + 2), 4 + 4 + 24);
    assert.equal(msg.readUInt16BE(28 + 6), NotifyType.cookie);
    assert.deepEqual([...msg.subarray(36, 60)], [...cookie]);
    assert.equal(msg[28], 33, 'SA follows the cookie');
  });

  it('offers the requested group first after INVALID_KE_PAYLOAD', () => {
    const msg = buildIkeSaInit({ ...base, dhGroup: 14, keyShare: makeKeyShare(14) as Buffer });
    const saLen = msg.readUInt16BE(30);
    const sa = msg.subarray(32, 28 + saLen);
    // First proposal's transforms: find the first DH transform (type 4).
    let off = 8;
    let firstDh: number | undefined;
    while (off < sa.readUInt16BE(2)) {
      if (sa[off + 4] === 4) {
        firstDh = sa.readUInt16BE(off + 6);
        break;
      }
      off += sa.readUInt16BE(off + 2);
    }
    assert.equal(firstDh, 14);
  });

  it('makes key shares of the right size for every offered group', () => {
    const sizes: Record<number, number> = { 19: 64, 20: 96, 21: 132, 31: 32, 14: 256, 15: 384, 16: 512, 2: 128 };
    for (const [group, size] of Object.entries(sizes)) {
      assert.ok(supportsDhGroup(Number(group)));
      assert.equal(makeKeyShare(Number(group))?.length, size, `group ${group}`);
    }
    assert.equal(makeKeyShare(36), undefined);
  });
});

describe('IKE_SA_INIT response parser', () => {
  it('reads strongSwan\'s no-config answer: non-zero SPIr and N(NO_PROPOSAL_CHOSEN), 36 bytes', () => {
    const spiR = Buffer.from('a1a2a3a4a5a6a7a8', 'hex');
    const msg = response(spiR, [{ type: 41, body: notify(NotifyType.noProposalChosen) }]);
    assert.equal(msg.length, 36);
    const parsed = parseIkeSaInitResponse(msg, SPI_I);
    assert.ok(parsed);
    assert.deepEqual(parsed.notifies.map((n) => n.type), [14]);
    assert.deepEqual([...parsed.spiR], [...spiR]);
  });

  it('reads INVALID_KE_PAYLOAD with the accepted group (38 bytes)', () => {
    const msg = response(ZERO, [{ type: 41, body: notify(NotifyType.invalidKePayload, Buffer.from([0, 14])) }]);
    assert.equal(msg.length, 38);
    const parsed = parseIkeSaInitResponse(msg, SPI_I);
    assert.equal(parsed?.notifies[0]?.data.readUInt16BE(0), 14);
  });

  it('reads a full answer: chosen proposal, KE group, nonce and NAT-D notifies', () => {
    const spiR = Buffer.from('1112131415161718', 'hex');
    const natdS = testSideNatDetectionHash(SPI_I, spiR, '203.0.113.10', 500);
    const natdD = testSideNatDetectionHash(SPI_I, spiR, '203.0.113.1', 40001);
    const ke = Buffer.concat([Buffer.from([0, 14, 0, 0]), Buffer.alloc(256, 1)]);
    const msg = response(spiR, [
      { type: 33, body: STRONGSWAN_SA_BODY },
      { type: 34, body: ke },
      { type: 40, body: Buffer.alloc(32, 2) },
      { type: 41, body: notify(NotifyType.natDetectionSourceIp, natdS) },
      { type: 41, body: notify(NotifyType.natDetectionDestinationIp, natdD) },
    ]);
    const parsed = parseIkeSaInitResponse(msg, SPI_I);
    assert.ok(parsed);
    assert.equal(parsed.keGroup, 14);
    assert.ok(parsed.hasNonce);
    assert.equal(describeTransforms(parsed.chosenTransforms), 'AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048');
    assert.deepEqual(parsed.notifies.map((n) => n.type), [16388, 16389]);
    assert.ok(parsed.notifies[1]?.data.equals(natdD));
  });

  it('drops requests, other SPIs, IKEv1, truncation and bad lengths', () => {
    const good = response(ZERO, [{ type: 41, body: notify(14) }]);
    assert.ok(parseIkeSaInitResponse(good, SPI_I));
    assert.equal(parseIkeSaInitResponse(good, Buffer.alloc(8, 9)), undefined, 'answer to another SPIi');
    const request = Buffer.from(good);
    request[19] = 0x08;
    assert.equal(parseIkeSaInitResponse(request), undefined, 'not a response');
    const v1 = Buffer.from(good);
    v1[17] = 0x10;
    assert.equal(parseIkeSaInitResponse(v1), undefined, 'IKEv1');
    assert.equal(parseIkeSaInitResponse(good.subarray(0, 30)), undefined, 'truncated');
    const longer = Buffer.from(good);
    longer.writeUInt32BE(1000, 24);
    assert.equal(parseIkeSaInitResponse(longer), undefined, 'length past the end');
    const zeroPayload = Buffer.from(good);
    zeroPayload.writeUInt16BE(0, 30);
    assert.equal(parseIkeSaInitResponse(zeroPayload), undefined, 'payload length 0 would loop');
  });

  it('strips the 4-byte non-ESP marker of port 4500 and rejects ESP (RFC 3948 §2.2)', () => {
    const ike = response(ZERO, [{ type: 41, body: notify(14) }]);
    assert.ok(stripNonEspMarker(Buffer.concat([Buffer.alloc(4), ike]))?.equals(ike));
    assert.equal(stripNonEspMarker(Buffer.concat([Buffer.from([0, 0, 1, 0]), ike])), undefined);
    assert.equal(stripNonEspMarker(Buffer.alloc(3)), undefined);
  });
});

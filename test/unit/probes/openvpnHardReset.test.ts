import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  buildHardResetClient,
  deframeTcp,
  describeWrapping,
  frameForTcp,
  parseHardResetServer,
  type ControlWrapping,
} from '../../../src/core/probes/openvpn/hardReset';
import { loadOvpnConfig } from '../../../src/core/probes/openvpn/openvpnProbeConfig';
import { directionalKeys, parseStaticKey, parseTlsCryptV2ClientKey } from '../../../src/core/probes/openvpn/staticKey';
import { openvpnFromText } from '../config/probeViews';
import { openVpnServerReply } from './fakeResponders';
import { fixturePath, readFixture } from './fixtures';
import { OP, reliableHeader, wrapControl } from './openvpnWire';

const KEY = (() => {
  const parsed = parseStaticKey(readFixture('kat.key'));
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.key;
})();
const SID = Buffer.from('0102030405060708', 'hex');
const FIELDS = { sessionId: SID, replayPacketId: 1, time: 1700000000 };
const SERVER_SID = Buffer.from('a1a2a3a4a5a6a7a8', 'hex');

/**
 * What a 2.6 server sends back: `40 | server sid | 01 | 00000000 | client sid | 00000000`, wrapped as
 * the server would — by the fake server's own encoder (openvpnWire.ts), not by the product's.
 */
const serverReply = (wrapping: ControlWrapping): Buffer => openVpnServerReply(wrapping, SID, { serverSessionId: SERVER_SID, time: 0x6553f101 });

describe('OpenVPN static key', () => {
  it('parses the known-answer key file: 256 bytes, comments ignored', () => {
    assert.equal(KEY.length, 256);
    assert.equal(KEY.subarray(0, 4).toString('hex'), 'd34154f3');
  });
  it('rejects short or non-hex keys without quoting them', () => {
    const short = parseStaticKey('-----BEGIN OpenVPN Static key V1-----\nabcd\n-----END OpenVPN Static key V1-----');
    assert.ok('error' in short && /2 bytes/.test(short.error) && !short.error.includes('abcd'));
    const bad = parseStaticKey('-----BEGIN OpenVPN Static key V1-----\nzzzzsecret\n-----END OpenVPN Static key V1-----');
    assert.ok('error' in bad && !bad.error.includes('secret'));
    assert.ok('error' in parseStaticKey('hello'));
  });
  it('picks keys by direction as crypto.c key_direction_state_init does', () => {
    const d1 = directionalKeys(KEY, 1);
    assert.ok(d1.sendHmac.equals(KEY.subarray(192, 256)) && d1.receiveHmac.equals(KEY.subarray(64, 128)));
    const d0 = directionalKeys(KEY, 0);
    assert.ok(d0.sendHmac.equals(KEY.subarray(64, 128)) && d0.receiveHmac.equals(KEY.subarray(192, 256)));
    const none = directionalKeys(KEY, 'none');
    assert.ok(none.sendHmac.equals(KEY.subarray(64, 128)) && none.receiveHmac.equals(KEY.subarray(64, 128)));
  });
});

describe('P_CONTROL_HARD_RESET_CLIENT_V2 known answers (accepted by a live OpenVPN 2.6.14)', () => {
  it('plain: 14 bytes', () => {
    assert.equal(buildHardResetClient(FIELDS, { kind: 'plain' }).toString('hex'), '3801020304050607080000000000');
  });
  it('tls-auth, key direction 1, SHA1: 42 bytes', () => {
    assert.equal(
      buildHardResetClient(FIELDS, { kind: 'tls-auth', key: KEY, direction: 1, digest: 'sha1' }).toString('hex'),
      '3801020304050607086b6929c2e2544bb01f038d47c26eb29b29353d27000000016553f1000000000000',
    );
  });
  it('tls-auth, key direction 1, SHA256', () => {
    assert.equal(
      buildHardResetClient(FIELDS, { kind: 'tls-auth', key: KEY, direction: 1, digest: 'sha256' }).toString('hex'),
      '3801020304050607082c4301a51f3327c6b4eb6915939f5541831e3f39eee9918748677aac9cf3ffff000000016553f1000000000000',
    );
  });
  it('tls-crypt: 54 bytes', () => {
    assert.equal(
      buildHardResetClient(FIELDS, { kind: 'tls-crypt', key: KEY }).toString('hex'),
      '380102030405060708000000016553f100316624520fd038ff3ffddcb71afb9b78fd133e77483f5123d2e2274ef1b7e2177d73d2b878',
    );
  });
});

describe('P_CONTROL_HARD_RESET_SERVER_V2 parser', () => {
  const wrappings: ControlWrapping[] = [
    { kind: 'plain' },
    { kind: 'tls-auth', key: KEY, direction: 1, digest: 'sha1' },
    { kind: 'tls-auth', key: KEY, direction: 'none', digest: 'sha512' },
    { kind: 'tls-crypt', key: KEY },
  ];
  for (const w of wrappings) {
    it(`accepts a server reset acknowledging our session (${describeWrapping(w)})`, () => {
      const reply = parseHardResetServer(serverReply(w), w, SID);
      assert.ok(reply);
      assert.ok(reply.serverSessionId.equals(SERVER_SID));
      assert.ok(reply.ackedSessionId?.equals(SID));
      assert.deepEqual(reply.ackedPacketIds, [0]);
    });
  }
  it('sizes match the live server: plain 26, tls-auth SHA1 54, tls-crypt 66 bytes', () => {
    assert.equal(serverReply({ kind: 'plain' }).length, 26);
    assert.equal(serverReply({ kind: 'tls-auth', key: KEY, direction: 1, digest: 'sha1' }).length, 54);
    assert.equal(serverReply({ kind: 'tls-crypt', key: KEY }).length, 66);
  });
  it('drops replies whose HMAC was made with another direction or digest, or that ack another session', () => {
    const reply = serverReply({ kind: 'tls-auth', key: KEY, direction: 1, digest: 'sha1' });
    assert.equal(parseHardResetServer(reply, { kind: 'tls-auth', key: KEY, direction: 0, digest: 'sha1' }, SID), undefined);
    assert.equal(parseHardResetServer(reply, { kind: 'tls-auth', key: KEY, direction: 1, digest: 'sha256' }, SID), undefined);
    assert.equal(parseHardResetServer(serverReply({ kind: 'plain' }), { kind: 'plain' }, Buffer.alloc(8)), undefined);
    const tampered = serverReply({ kind: 'tls-crypt', key: KEY });
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    assert.equal(parseHardResetServer(tampered, { kind: 'tls-crypt', key: KEY }, SID), undefined);
    assert.equal(parseHardResetServer(buildHardResetClient(FIELDS, { kind: 'plain' }), { kind: 'plain' }), undefined, 'a client reset is not an answer');
  });
  it('frames TCP packets with a 2-byte length and reassembles a split stream', () => {
    const a = frameForTcp(serverReply({ kind: 'plain' }));
    assert.equal(a.readUInt16BE(0), 26);
    const stream = Buffer.concat([a, a]);
    const first = deframeTcp(stream.subarray(0, 40));
    assert.equal(first.packets.length, 1);
    const second = deframeTcp(Buffer.concat([first.rest, stream.subarray(40)]));
    assert.equal(second.packets.length, 1);
    assert.equal(second.rest.length, 0);
    assert.ok(deframeTcp(Buffer.from([0, 0, 1])).broken, 'a zero length never advances: hostile');
  });
});

describe('tls-crypt-v2', () => {
  // Kc ‖ WKc as `openvpn --genkey tls-crypt-v2-client` writes it (WKc ends with its own length).
  const kc = Buffer.alloc(256, 0x11);
  const wkc = Buffer.concat([Buffer.alloc(297, 0x22), Buffer.from([0x01, 0x2b])]);
  const pem = (raw: Buffer): string => `-----BEGIN OpenVPN tls-crypt-v2 client key-----\n${raw.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END OpenVPN tls-crypt-v2 client key-----\n`;

  it('parses the client key into Kc and WKc', () => {
    const parsed = parseTlsCryptV2ClientKey(pem(Buffer.concat([kc, wkc])));
    assert.ok('key' in parsed && parsed.key.equals(kc) && parsed.wkc.equals(wkc));
    const bad = parseTlsCryptV2ClientKey(pem(Buffer.concat([kc, Buffer.alloc(40, 0x33)])));
    assert.ok('error' in bad && !bad.error.includes('MzMz'));
  });
  it('sends P_CONTROL_HARD_RESET_CLIENT_V3 wrapped like tls-crypt with Kc, WKc appended', () => {
    const v3 = buildHardResetClient(FIELDS, { kind: 'tls-crypt-v2', key: KEY, wkc });
    const v1 = buildHardResetClient(FIELDS, { kind: 'tls-crypt', key: KEY });
    assert.equal(v3[0], 0x50, 'opcode 10, key id 0');
    assert.equal(v3.length, v1.length + wkc.length);
    assert.ok(v3.subarray(v1.length).equals(wkc));
    assert.ok(v3.subarray(1, 17).equals(v1.subarray(1, 17)), 'same sid, packet id and time');
  });
  it('the V3 reset is byte for byte what the independent tls-crypt-v2 encoder builds', () => {
    // No live server has checked a V3 reset here: pin it to the test side's encoder, which
    // reproduces the live-accepted tls-crypt reset (independentCodecs.test.ts).
    const expected = wrapControl({ kind: 'tls-crypt-v2', key: KEY, wkc }, 'client', {
      op: OP.clientResetV3,
      sessionId: SID,
      packetId: FIELDS.replayPacketId,
      time: FIELDS.time,
      plaintext: reliableHeader([], undefined, 0),
    });
    assert.equal(buildHardResetClient(FIELDS, { kind: 'tls-crypt-v2', key: KEY, wkc }).toString('hex'), expected.toString('hex'));
  });
  it('reads an .ovpn with an inline <tls-crypt-v2> key', async () => {
    const config = await openvpnFromText(`client\nremote 203.0.113.10 1194\n<tls-crypt-v2>\n${pem(Buffer.concat([kc, wkc]))}</tls-crypt-v2>\n`);
    assert.equal(config.wrapping.kind, 'tls-crypt-v2');
    assert.deepEqual(config.notes, []);
  });
});

describe('.ovpn parsing', () => {
  it('loads a tls-auth key by path relative to the config, with its direction', async () => {
    const config = await loadOvpnConfig(fixturePath('tls-auth-by-path.ovpn'));
    assert.equal(config.wrapping.kind, 'tls-auth');
    assert.ok(config.wrapping.kind === 'tls-auth' && config.wrapping.direction === 1 && config.wrapping.digest === 'sha1' && config.wrapping.key.equals(KEY));
    assert.deepEqual(config.remotes, [{ host: '203.0.113.10', port: 1194 }]);
    assert.equal(config.proto, 'udp');
  });
  it('reads inline tls-auth with key-direction and auth SHA256', async () => {
    const config = await openvpnFromText(readFixture('tls-auth-inline-sha256.ovpn'));
    assert.ok(config.wrapping.kind === 'tls-auth');
    assert.equal(config.wrapping.direction, 1);
    assert.equal(config.wrapping.digest, 'sha256');
  });
  it('reads an inline tls-crypt key and a TCP remote', async () => {
    const config = await openvpnFromText(readFixture('tls-crypt-inline.ovpn'));
    assert.equal(config.wrapping.kind, 'tls-crypt');
    assert.deepEqual(config.remotes, [{ host: 'vpn.example.net', port: 443, proto: 'tcp' }]);
  });
  it('explains a missing key file without failing, and never quotes key bytes', async () => {
    const config = await loadOvpnConfig(fixturePath('tls-auth-by-path.ovpn'), async (p) => {
      if (p.endsWith('.ovpn')) return readFixture('tls-auth-by-path.ovpn');
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    });
    assert.equal(config.wrapping.kind, 'plain');
    assert.match(config.notes.join(' '), /cannot read the tls-auth key file "kat.key" \(ENOENT\)/);
    const broken = await openvpnFromText('<tls-crypt>\n-----BEGIN OpenVPN Static key V1-----\ndeadbeef\n-----END OpenVPN Static key V1-----\n</tls-crypt>');
    assert.match(broken.notes.join(' '), /unusable/);
    assert.ok(!broken.notes.join(' ').includes('deadbeef'));
  });
});

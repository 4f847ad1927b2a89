import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createServer as createTcpServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recoverMappedPort } from '../../../src/core/probes/ike/ikeProbe';
import { IkeRateLimiter, fileRateStore } from '../../../src/core/probes/ike/ikeRateLimiter';
import { parseStaticKey } from '../../../src/core/probes/openvpn/staticKey';
import { fastestTurnServer, probe, probeMany, probeTargetStrings, toProbeResult } from '../../../src/core/probes/probe';
import { defaultTargets, formatTarget, parseProbeTarget } from '../../../src/core/probes/target';
import type { ProbeOptions, ProbeOutcome, ProbeTarget } from '../../../src/core/probes/types';
import { generateEphemeral } from '../../../src/core/probes/wireguard/noiseHandshake';
import {
  closedUdpPort,
  fakeIkeResponder,
  fakeOpenVpnServer,
  fakeOpenVpnTcpServer,
  fakeTurnServer,
  fakeWireGuardServer,
  natDetectionHash,
  udpServer,
} from './fakeResponders';
import { readFixture } from './fixtures';

const LOCAL = '127.0.0.1';
const FAST = 400;
const t = (port: number, protocol: ProbeTarget['protocol']): ProbeTarget => ({ host: LOCAL, port, protocol });
/** A limiter per test, so the politeness budget of one test never slows another. */
const opts = (extra: ProbeOptions = {}): ProbeOptions => ({ timeoutMs: FAST, ikeLimiter: new IkeRateLimiter(), ...extra });

describe('probe targets', () => {
  it('parses HOST:PORT/PROTOCOL, bracketed IPv6 and formats them back', () => {
    assert.deepEqual(parseProbeTarget('vpn.example.com:51820/wireguard'), { host: 'vpn.example.com', port: 51820, protocol: 'wireguard' });
    assert.deepEqual(parseProbeTarget('[2001:db8::1]:500/ike'), { host: '2001:db8::1', port: 500, protocol: 'ike' });
    assert.equal(formatTarget({ host: '2001:db8::1', port: 500, protocol: 'ike' }), '[2001:db8::1]:500/ike');
  });
  it('explains what is wrong with a bad target', () => {
    assert.match((parseProbeTarget('vpn.example.com') as { error: string }).error, /HOST:PORT\/PROTOCOL/);
    assert.match((parseProbeTarget('vpn.example.com:70000/ike') as { error: string }).error, /out of range/);
    assert.match((parseProbeTarget('vpn.example.com:500/ipsec') as { error: string }).error, /unknown protocol "ipsec"/);
    assert.match((parseProbeTarget('[vpn]:500/ike') as { error: string }).error, /not an IPv6/);
    assert.match((parseProbeTarget('2001:db8::1:500/ike') as { error: string }).error, /IPv6 address in brackets/);
    assert.deepEqual(parseProbeTarget('VPN.example.com:1194/OpenVPN'), { host: 'VPN.example.com', port: 1194, protocol: 'openvpn' });
    assert.match((parseProbeTarget('bad_host!:1/tcp') as { error: string }).error, /HOST:PORT|not a host/);
  });
  it('has the default set: UDP 500, 4500, 1194, 51820 and TCP 443', () => {
    assert.deepEqual(defaultTargets('h').map(formatTarget), ['h:500/ike', 'h:4500/ike-natt', 'h:1194/openvpn', 'h:51820/wireguard', 'h:443/tls']);
  });
});

describe('states from the transport', () => {
  it('a closed UDP port is closed (ICMP port unreachable → ECONNREFUSED) for every UDP protocol', async () => {
    const port = await closedUdpPort();
    const results = await probeMany((['ike', 'ike-natt', 'openvpn', 'wireguard', 'stun', 'turn'] as const).map((p) => t(port, p)), opts());
    for (const r of results) {
      assert.equal(r.state, 'closed', r.target);
      assert.equal(r.rttMs, null);
      assert.match(r.detail, /ICMP port unreachable/);
    }
  });
  it('a silent UDP port is open|filtered, never open, and costs about the timeout', async () => {
    const silent = await udpServer(() => undefined);
    try {
      const started = Date.now();
      const results = await probeMany((['ike', 'openvpn', 'wireguard', 'stun'] as const).map((p) => t(silent.port, p)), opts());
      const elapsed = Date.now() - started;
      for (const r of results) assert.equal(r.state, 'open|filtered', r.target);
      assert.match(results[2]?.detail ?? '', /WireGuard never answers a peer it does not know/);
      assert.ok(elapsed < 2 * FAST, `parallel (one budget, not four): ${elapsed} ms`);
      assert.ok(silent.received.length >= 4, 'each probe sent at least once');
    } finally {
      await silent.close();
    }
  });
  it('tcp: a listener is open with an RTT, a closed port is closed (RST)', async () => {
    const server: Server = createTcpServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, LOCAL, () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const open = await probe(t(port, 'tcp'), opts());
      assert.equal(open.state, 'open');
      assert.ok(typeof open.rttMs === 'number' && open.rttMs >= 0);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    const closed = await probe(t(port, 'tcp'), opts());
    assert.equal(closed.state, 'closed');
    assert.match(closed.detail, /refused the connection \(RST\)/);
  });
  it('cancelling through the AbortSignal ends every probe at once, without waiting for the budget', async () => {
    const silent = await udpServer(() => undefined);
    try {
      const controller = new AbortController();
      const started = Date.now();
      const pending = probeMany(
        (['ike', 'openvpn', 'wireguard', 'stun', 'turn'] as const).map((p) => t(silent.port, p)),
        { timeoutMs: 10_000, signal: controller.signal, ikeLimiter: new IkeRateLimiter() },
      );
      controller.abort();
      const results = await pending;
      assert.ok(Date.now() - started < 1_000, 'no probe waited for its 10 s budget');
      for (const r of results) {
        assert.equal(r.state, 'open|filtered', r.target);
        assert.match(r.detail, /cancelled/);
      }
    } finally {
      await silent.close();
    }
  });
  it('an unresolvable name is reported, not thrown', async () => {
    const r = await probe({ host: 'no-such-host.invalid', port: 1, protocol: 'tcp' }, opts());
    assert.equal(r.state, 'filtered');
    assert.match(r.detail, /did not resolve/);
  });
  it('diagnose strings: bad ones become results, a bare host expands to the default set', async () => {
    const results = await probeTargetStrings(['nonsense:/x'], opts());
    assert.equal(results.length, 1);
    assert.match(results[0]?.detail ?? '', /^not probed: /);
  });
});

describe('ike / ike-natt against a strongSwan-like responder', () => {
  it('NO_PROPOSAL_CHOSEN from a server without config is open, with the reason', async () => {
    const server = await fakeIkeResponder({ noConfig: true });
    try {
      const r = await probe(t(server.port, 'ike'), opts());
      assert.equal(r.state, 'open');
      assert.ok(typeof r.rttMs === 'number');
      assert.match(r.detail, /IKEv2 responder answered NO_PROPOSAL_CHOSEN \(no IKE config matches this client address/);
    } finally {
      await server.close();
    }
  });
  it('retries once with the group of INVALID_KE_PAYLOAD and answers a COOKIE with the same request', async () => {
    const server = await fakeIkeResponder({ group: 14, requireCookie: true });
    try {
      const r = await probe(t(server.port, 'ike'), opts());
      assert.equal(r.state, 'open');
      assert.match(r.detail, /accepted our IKE_SA_INIT, chose AES_CBC_256\/HMAC_SHA2_256_128\/PRF_HMAC_SHA2_256\/MODP_2048 after COOKIE, INVALID_KE_PAYLOAD → group 14; no NAT between you and this server/);
      assert.equal(server.received.length, 3, 'first try, cookie retry, KE retry');
      // The cookie retry is the same request with N(COOKIE) first and the same SPIi.
      const [first, second] = server.received as [Buffer, Buffer];
      assert.ok(first.subarray(0, 8).equals(second.subarray(0, 8)));
      assert.equal(second[16], 41);
    } finally {
      await server.close();
    }
  });
  it('ignores late duplicates of an earlier round\'s COOKIE or INVALID_KE_PAYLOAD', async () => {
    const server = await fakeIkeResponder({ group: 14, requireCookie: true, duplicate: true });
    try {
      const r = await probe(t(server.port, 'ike'), opts());
      assert.equal(r.state, 'open');
      assert.match(r.detail, /^IKEv2 responder accepted our IKE_SA_INIT, chose .* after COOKIE, INVALID_KE_PAYLOAD → group 14; no NAT/);
    } finally {
      await server.close();
    }
  });
  it('sees a NAT from the NAT_DETECTION hashes and recovers the mapped port from the public address', async () => {
    const server = await fakeIkeResponder({ seenAs: { address: '203.0.113.1', port: 40123 } });
    try {
      const r = await probe(t(server.port, 'ike'), opts({ publicAddress: '203.0.113.1' }));
      assert.equal(r.state, 'open');
      assert.match(r.detail, /a NAT sits between you and this server \(your mapped port 40123, your source port \d+ was changed\)/);
      const noPublic = await probe(t(server.port, 'ike'), opts());
      assert.match(noPublic.detail, /a NAT sits between you and this server$/);
    } finally {
      await server.close();
    }
  });
  it('recovers any mapped port 0..65535 from a NAT-D hash, and none from a foreign hash', async () => {
    const spiI = Buffer.alloc(8, 1);
    const spiR = Buffer.alloc(8, 2);
    for (const port of [0, 65535]) assert.equal(await recoverMappedPort(spiI, spiR, '203.0.113.1', [natDetectionHash(spiI, spiR, '203.0.113.1', port)]), port);
    assert.equal(await recoverMappedPort(spiI, spiR, '203.0.113.1', [Buffer.alloc(20)]), undefined);
    assert.equal(await recoverMappedPort(spiI, spiR, 'not-an-ip', [Buffer.alloc(20)]), undefined);
  });
  it('works over IPv6: NAT-D hashes of 16-byte addresses, no NAT on ::1', async (ctx) => {
    const server = await fakeIkeResponder({ host: '::1' }).catch(() => undefined);
    if (!server) return ctx.skip('no IPv6 loopback here');
    try {
      const r = await probe({ host: '::1', port: server.port, protocol: 'ike' }, opts());
      assert.equal(r.target, `[::1]:${server.port}/ike`);
      assert.equal(r.state, 'open');
      assert.match(r.detail, /no NAT between you and this server$/);
    } finally {
      await server.close();
    }
  });
  it('ike-natt frames IKE behind the 4-byte non-ESP marker', async () => {
    const server = await fakeIkeResponder({ natt: true });
    try {
      const r = await probe(t(server.port, 'ike-natt'), opts());
      assert.equal(r.state, 'open');
      assert.ok(server.received[0]?.subarray(0, 4).equals(Buffer.alloc(4)));
    } finally {
      await server.close();
    }
  });
  it('sends at most 3 IKE probes per server per 30 s (politeness), waiting for the window', () => {
    let now = 1_000_000;
    const limiter = new IkeRateLimiter(3, 30_000, () => now);
    assert.equal(limiter.delayFor('s'), 0);
    for (let i = 0; i < 3; i++) void limiter.acquire('s');
    assert.equal(limiter.delayFor('s'), 30_000);
    assert.equal(limiter.delayFor('other'), 0, 'per server');
    now += 29_000;
    assert.equal(limiter.delayFor('s'), 1_000);
    now += 1_001;
    assert.equal(limiter.delayFor('s'), 0);
  });
  it('a cancelled wait for the politeness window sends nothing', async () => {
    const limiter = new IkeRateLimiter(1, 60_000);
    await limiter.acquire(LOCAL);
    const controller = new AbortController();
    const pending = probe(t(9, 'ike'), { timeoutMs: FAST, ikeLimiter: limiter, signal: controller.signal });
    controller.abort();
    const r = await pending;
    assert.equal(r.state, 'open|filtered');
    assert.match(r.detail, /not probed: cancelled while waiting for the IKE politeness limit/);
  });
});

describe('openvpn against a 2.6-like server', () => {
  const key = (() => {
    const p = parseStaticKey(readFixture('kat.key'));
    if ('error' in p) throw new Error(p.error);
    return p.key;
  })();

  it('a plain server answers the plain reset: open with RTT', async () => {
    const server = await fakeOpenVpnServer({ kind: 'plain' });
    try {
      const r = await probe(t(server.port, 'openvpn'), opts());
      assert.equal(r.state, 'open');
      assert.match(r.detail, /OpenVPN server answered our reset \(no tls-auth\/tls-crypt\)/);
    } finally {
      await server.close();
    }
  });
  it('a tls-auth server is silent to unsigned resets: open|filtered with advice to give --config', async () => {
    const server = await fakeOpenVpnServer({ kind: 'tls-auth', key, direction: 1, digest: 'sha1' });
    try {
      const r = await probe(t(server.port, 'openvpn'), opts());
      assert.equal(r.state, 'open|filtered');
      assert.match(r.detail, /give --config/);
    } finally {
      await server.close();
    }
  });
  it('with the config\'s key a tls-auth server answers; a wrong key-direction is named', async () => {
    const server = await fakeOpenVpnServer({ kind: 'tls-auth', key, direction: 0, digest: 'sha256' });
    try {
      const config = { openvpn: { wrapping: { kind: 'tls-auth' as const, key, direction: 1 as const, digest: 'sha256' as const }, remotes: [], notes: [] } };
      const r = await probe(t(server.port, 'openvpn'), opts({ config }));
      assert.equal(r.state, 'open');
      assert.match(r.detail, /your config's tls-auth, key-direction 1, auth SHA256 gets no answer: .*set key-direction 0 \(your config: 1\)/);
      const right = { openvpn: { ...config.openvpn, wrapping: { kind: 'tls-auth' as const, key, direction: 0 as const, digest: 'sha256' as const } } };
      const ok = await probe(t(server.port, 'openvpn'), opts({ config: right }));
      assert.match(ok.detail, /^OpenVPN server answered our reset \(tls-auth, key-direction 0, auth SHA256\)$/);
    } finally {
      await server.close();
    }
  });
  it('over TCP (the config says proto tcp): answers, and a wrong key-direction is found over separate connections', async () => {
    const server = await fakeOpenVpnTcpServer({ kind: 'tls-auth', key, direction: 1, digest: 'sha1' });
    try {
      const wrapping = { kind: 'tls-auth' as const, key, direction: 1 as const, digest: 'sha1' as const };
      const right = await probe(t(server.port, 'openvpn'), opts({ config: { openvpn: { wrapping, remotes: [], proto: 'tcp', notes: [] } } }));
      assert.equal(right.state, 'open');
      assert.equal(right.detail, 'OpenVPN server answered our reset over TCP (tls-auth, key-direction 1, auth SHA1)');
      const wrong = await probe(t(server.port, 'openvpn'), opts({ config: { openvpn: { wrapping: { ...wrapping, direction: 'none' }, remotes: [], proto: 'tcp', notes: [] } } }));
      assert.equal(wrong.state, 'open');
      assert.match(wrong.detail, /\(TCP\), but your config's tls-auth, no key-direction, auth SHA1 gets no answer: .*set key-direction 1 \(your config: none\)/);
      const plain = await probe(t(server.port, 'openvpn'), opts({ config: { openvpn: { wrapping: { kind: 'plain' }, remotes: [], proto: 'tcp', notes: [] } } }));
      assert.equal(plain.state, 'open', 'the TCP port accepted a connection');
      assert.match(plain.detail, /closed the connection without an OpenVPN answer .*give --config/);
    } finally {
      await server.close();
    }
  });
  it('tls-crypt-v2 with the client key is open; a server that wants it ignores a plain reset', async () => {
    const wkc = Buffer.concat([Buffer.alloc(297, 0x22), Buffer.from([0x01, 0x2b])]);
    const server = await fakeOpenVpnServer({ kind: 'tls-crypt-v2', key, wkc });
    try {
      const r = await probe(t(server.port, 'openvpn'), opts({ config: { openvpn: { wrapping: { kind: 'tls-crypt-v2', key, wkc }, remotes: [], notes: [] } } }));
      assert.equal(r.state, 'open');
      assert.equal(r.detail, 'OpenVPN server answered our reset (tls-crypt-v2)');
      const plain = await probe(t(server.port, 'openvpn'), opts());
      assert.equal(plain.state, 'open|filtered');
    } finally {
      await server.close();
    }
  });
  it('tls-crypt with the right key is open', async () => {
    const server = await fakeOpenVpnServer({ kind: 'tls-crypt', key });
    try {
      const r = await probe(t(server.port, 'openvpn'), opts({ config: { openvpn: { wrapping: { kind: 'tls-crypt', key }, remotes: [], notes: [] } } }));
      assert.equal(r.state, 'open');
      assert.match(r.detail, /\(tls-crypt\)/);
    } finally {
      await server.close();
    }
  });
});

describe('wireguard handshake with the user\'s keys', () => {
  const server = generateEphemeral();
  const client = generateEphemeral();
  const psk = Buffer.alloc(32, 0x42);
  const config = (presharedKey?: Buffer): ProbeOptions['config'] => ({
    wireguard: { privateKey: client.privateKey, peers: [{ publicKey: server.publicKey, ...(presharedKey ? { presharedKey } : {}) }], notes: [] },
  });

  it('right keys: open, verified, with the endpoint warning', async () => {
    const wg = await fakeWireGuardServer(server.privateKey, [{ publicKey: client.publicKey, presharedKey: psk }]);
    try {
      const r = await probe(t(wg.port, 'wireguard'), opts({ config: config(psk) }));
      assert.equal(r.state, 'open');
      assert.match(r.detail, /handshake completed: the server accepted this PrivateKey and PresharedKey/);
      assert.ok(r.warnings?.[0]?.includes('points its peer at the probe'));
      assert.match(r.detail, /points its peer at the probe/, 'the warning is in the detail too, for the report');
      const [outcome] = await probeTargetStrings([`127.0.0.1:${wg.port}/wireguard`], opts({ config: config(psk) }));
      assert.deepEqual(Object.keys(toProbeResult(outcome as ProbeOutcome)).sort(), ['detail', 'rttMs', 'state', 'target'], 'report entries are exactly ProbeResult');
      assert.equal(wg.received.length, 2, 'one initiation per probe; no keepalive or data after the response');
      assert.equal(wg.received[0]?.length, 148);
    } finally {
      await wg.close();
    }
  });
  it('wrong PresharedKey: open, and says the PresharedKey differs', async () => {
    const wg = await fakeWireGuardServer(server.privateKey, [{ publicKey: client.publicKey, presharedKey: psk }]);
    try {
      const r = await probe(t(wg.port, 'wireguard'), opts({ config: config(Buffer.alloc(32, 1)) }));
      assert.equal(r.state, 'open');
      assert.match(r.detail, /the PresharedKey differs from the server's/);
    } finally {
      await wg.close();
    }
  });
  it('unknown peer: silence, open|filtered; retries are fresh initiations at least 1 s apart', async () => {
    const wg = await fakeWireGuardServer(server.privateKey, []);
    try {
      const r = await probe(t(wg.port, 'wireguard'), { timeoutMs: 1300, config: config(psk) });
      assert.equal(r.state, 'open|filtered');
      assert.match(r.detail, /does not know this PrivateKey's public key/);
      assert.equal(wg.received.length, 2);
      assert.ok(!wg.received[0]?.equals(wg.received[1] as Buffer), 'a fresh initiation, not a replay');
      assert.ok(r.warnings?.length, 'silence may hide an accepted handshake: still warned');
      const closed = await probe(t(await closedUdpPort(), 'wireguard'), opts({ config: config(psk) }));
      assert.equal(closed.state, 'closed');
      assert.equal(closed.warnings, undefined, 'nothing listened: no endpoint moved, no warning');
    } finally {
      await wg.close();
    }
  });
});

describe('turn with long-term credentials', () => {
  it('401 → authenticated Allocate → relayed address, then Refresh lifetime 0; no password anywhere', async () => {
    const turn = await fakeTurnServer('alice', 'pa55-w0rd-secret');
    try {
      const progress: string[] = [];
      const r = await probe(t(turn.port, 'turn'), opts({ turnCredentials: { user: 'alice', password: 'pa55-w0rd-secret' }, onProgress: (m) => progress.push(m) }));
      assert.equal(r.state, 'open');
      assert.match(r.detail, /TURN relay allocated at 127\.0\.0\.1:49999 in [\d.]+ ms; released it again \(Refresh lifetime 0\)/);
      assert.deepEqual(turn.refreshLifetimes, [0]);
      const everything = JSON.stringify(r) + progress.join('\n');
      assert.ok(!everything.includes('pa55-w0rd-secret'));
      assert.ok(!turn.received.some((m) => m.includes(Buffer.from('pa55-w0rd-secret'))), 'never on the wire either');
    } finally {
      await turn.close();
    }
  });
  it('wrong password: open (the server is there) and says the credentials were rejected', async () => {
    const turn = await fakeTurnServer('alice', 'right');
    try {
      const r = await probe(t(turn.port, 'turn'), opts({ turnCredentials: { user: 'alice', password: 'wrong-one' } }));
      assert.equal(r.state, 'open');
      assert.match(r.detail, /rejected the user name or password \(401/);
      assert.ok(!JSON.stringify(r).includes('wrong-one'));
    } finally {
      await turn.close();
    }
  });
  it('without credentials the 401 proves a TURN server', async () => {
    const turn = await fakeTurnServer('alice', 'x');
    try {
      const r = await probe(t(turn.port, 'turn'), opts());
      assert.match(r.detail, /TURN server answered \(401: needs credentials, realm "lab.example"\)/);
    } finally {
      await turn.close();
    }
  });
  it('picks the TURN server with the lowest measured RTT, preferring those that allocated a relay', () => {
    const relay = { address: '203.0.113.9', port: 50000 };
    const mk = (target: string, rttMs: number | null, allocated = true, state: 'open' | 'closed' = 'open'): ProbeOutcome => ({
      target, state, rttMs, detail: allocated ? 'TURN relay allocated at x' : 'x', ...(allocated ? { relayed: relay } : {}),
    });
    const best = fastestTurnServer([mk('a:3478/turn', 30), mk('b:3478/turn', 12), mk('c:3478/turn', 5, false, 'closed'), mk('d:3478/turn', null), mk('e:3478/turn', 2, false)]);
    assert.equal(best?.target, 'b:3478/turn');
    assert.equal(fastestTurnServer([mk('a:1/turn', 9, false), mk('b:1/turn', 4, false)])?.target, 'b:1/turn');
    assert.equal(fastestTurnServer([mk('a:1/stun', 1)]), undefined);
  });
  it('the relay decision reads the typed result, not the wording of the detail', () => {
    const words = { target: 'a:1/turn', state: 'open' as const, rttMs: 3, detail: 'TURN relay allocated at 203.0.113.9:50000' };
    const typed = { target: 'b:1/turn', state: 'open' as const, rttMs: 9, detail: 'x', relayed: { address: '203.0.113.9', port: 50000 } };
    assert.equal(fastestTurnServer([words, typed])?.target, 'b:1/turn');
  });
  it('probes several TURN servers in parallel and the fastest is one that works', async () => {
    const one = await fakeTurnServer('alice', 'pw');
    const two = await fakeTurnServer('alice', 'other');
    try {
      const results = await probeMany([t(one.port, 'turn'), t(two.port, 'turn')], opts({ turnCredentials: { user: 'alice', password: 'pw' } }));
      const fastest = fastestTurnServer(results);
      assert.equal(results.length, 2);
      assert.equal(fastest?.target, `127.0.0.1:${one.port}/turn`, 'only the first accepts the credentials');
      assert.ok(results[0]?.relayed, 'the allocation is a typed result');
      assert.equal(results[1]?.relayed, undefined);
      assert.deepEqual(one.refreshLifetimes, [0]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('tls', () => {
  let server: Server | undefined;
  let port = 0;
  let skip: string | false = false;
  before(async () => {
    let pem: string;
    try {
      pem = execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30', '-subj', '/CN=probe.test', '-keyout', '-', '-out', '-'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      skip = 'openssl is not installed: cannot make a self-signed certificate';
      return;
    }
    const tls = createTlsServer({ key: pem, cert: pem }, (s) => s.end());
    server = tls;
    await new Promise<void>((r) => tls.listen(0, LOCAL, () => r()));
    port = (tls.address() as { port: number }).port;
  });
  after(async () => {
    const s = server;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  });
  it('reports the TLS version and a self-signed certificate instead of refusing it', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const r = await probe(t(port, 'tls'), opts());
    assert.equal(r.state, 'open');
    assert.match(r.detail, /^TLS 1\.3 handshake completed; certificate CN=probe\.test, self-signed, expires \d{4}-\d\d-\d\d \(in (29|30) days\)$/);
  });
  it('a TCP service that does not speak TLS is open, with the handshake failure', async () => {
    const plain = createTcpServer((s) => s.resume().end('SSH-2.0-OpenSSH_9.2\r\n'));
    await new Promise<void>((r) => plain.listen(0, LOCAL, () => r()));
    try {
      const r = await probe(t((plain.address() as { port: number }).port, 'tls'), opts());
      assert.equal(r.state, 'open');
      assert.match(r.detail, /TLS handshake failed/);
    } finally {
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });
});

describe('IKE politeness across CLI runs', () => {
  it('a file store carries the send times from one limiter (process) to the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nd-rate-'));
    try {
      const path = join(dir, 'sub', 'ike-probes.json');
      let now = 5_000_000;
      const clock = (): number => now;
      for (let run = 0; run < 3; run++) assert.ok(await new IkeRateLimiter(3, 30_000, clock, fileRateStore(path)).acquire('203.0.113.10'));
      const fourth = new IkeRateLimiter(3, 30_000, clock, fileRateStore(path));
      assert.equal(fourth.delayFor('203.0.113.10'), 30_000, 'the 4th run within 30 s must wait');
      assert.equal(fourth.delayFor('203.0.113.11'), 0);
      now += 30_001;
      assert.equal(fourth.delayFor('203.0.113.10'), 0);
      writeFileSync(path, '{not json');
      assert.deepEqual(fileRateStore(path).load(), {}, 'a corrupt file counts as empty');
      assert.deepEqual(fileRateStore(join(dir, 'missing.json')).load(), {});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Binding lifetime (RFC 5780 §4.6, RESPONSE-PORT) through a real NAT whose idle-UDP timeout the
// test sets (conntrack in the router namespace): the measured value must land within the ±5 s the
// method promises. A classic RFC 3489 server (Debian's stund) has no RESPONSE-PORT: say so.
// A router that keeps one-shot exchanges and two-way flows for different times (Linux's
// nf_conntrack_udp_timeout and _stream) gets both measured, and `lint --report` with that report
// gives the keepalive and MTU fixes the report recommends.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { assertCliBuilt, diagnoseIn, runCli } from './cliRunner';
import { startCoturn } from './coturn';
import { stunPingIn } from './stunPing';
import { labGate } from './labEnv';
import { buildNatTopology, STUN_ALTERNATE, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver', 'stund']);
const NAT_UDP_TIMEOUT_SEC = 20;

describe('NAT binding lifetime', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let topology: NatTopology;
  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    lab = new Lab();
    topology = await buildNatTopology(lab, { behavior: 'port-restricted-cone', udpTimeoutSec: NAT_UDP_TIMEOUT_SEC });
    await startCoturn(topology.publicNs, { addresses: [STUN_PRIMARY, STUN_ALTERNATE] });
  });
  after(() => lab?.close());

  test(`a NAT that forgets idle UDP after ${NAT_UDP_TIMEOUT_SEC} s is measured within ±5 s, and the keepalive advice follows`, { timeout: 180_000 }, async () => {
    const { report } = await diagnoseIn(topology.client, [`${STUN_PRIMARY}:3478`], { timeoutMs: 150_000, extraArgs: ['--lifetime'] });
    const lifetime = report.bindingLifetime;
    assert.ok(lifetime, JSON.stringify(report.nat.notes));
    assert.ok(lifetime.seconds !== null);
    assert.ok(Math.abs(lifetime.seconds - NAT_UDP_TIMEOUT_SEC) <= 5, `measured ${lifetime.seconds} s (${lifetime.lowerSec}–${lifetime.upperSec})`);
    assert.ok(lifetime.lowerSec < NAT_UDP_TIMEOUT_SEC + 1 && lifetime.upperSec >= NAT_UDP_TIMEOUT_SEC - 1, 'the bracket holds the true value');
    const keepalive = report.recommendations.find((r) => r.id === 'keepalive');
    const expected = Math.min(25, Math.floor(lifetime.seconds / 2));
    assert.match(keepalive?.message ?? '', new RegExp(`PersistentKeepalive = ${expected}\\b`));
  });

  test('a server without RESPONSE-PORT (classic RFC 3489 stund) is named as the reason, not a guessed lifetime', { timeout: 60_000 }, async () => {
    const classic = '203.0.113.30';
    const classicAlt = '203.0.113.31';
    await topology.addPublicAddress(classic);
    await topology.addPublicAddress(classicAlt);
    const stund = topology.publicNs.spawn('stund', ['-h', classic, '-a', classicAlt, '-p', '3478', '-o', '3479', '-v']);
    await stunPingIn(topology.publicNs, classic, 3478, 10_000); // ready when it answers
    const { report } = await diagnoseIn(topology.client, [`${classic}:3478`], { timeoutMs: 30_000, extraArgs: ['--lifetime'] });
    await stund.stop();
    const r: Report = report;
    assert.equal(r.bindingLifetime, null);
    assert.ok(r.nat.notes?.some((n) => /lifetime: .*RESPONSE-PORT/.test(n)), JSON.stringify(r.nat.notes));
  });
});

const ONE_SHOT_SEC = 10;
const STREAM_SEC = 25;

describe('NAT binding lifetime of one-shot exchanges and of established flows', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let topology: NatTopology;
  let measured: Report | undefined;
  let dir = '';
  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    lab = new Lab();
    dir = mkdtempSync(join(tmpdir(), 'nd-lifetime-lint-'));
    topology = await buildNatTopology(lab, { behavior: 'port-restricted-cone', udpTimeoutSec: ONE_SHOT_SEC, udpStreamTimeoutSec: STREAM_SEC });
    await startCoturn(topology.publicNs, { addresses: [STUN_PRIMARY, STUN_ALTERNATE] });
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await lab?.close();
  });

  test(`a router keeping one-shot exchanges ${ONE_SHOT_SEC} s and two-way flows ${STREAM_SEC} s: both measured within ±5 s, and the keepalive says which it follows`, { timeout: 180_000 }, async () => {
    const { report } = await diagnoseIn(topology.client, [`${STUN_PRIMARY}:3478`], { timeoutMs: 150_000, extraArgs: ['--lifetime'] });
    measured = report;
    const lifetime = report.bindingLifetime;
    assert.ok(lifetime && lifetime.seconds !== null, JSON.stringify(report.nat.notes));
    assert.ok(Math.abs(lifetime.seconds - ONE_SHOT_SEC) <= 5, `one-shot: measured ${lifetime.seconds} s (${lifetime.lowerSec}–${lifetime.upperSec})`);
    const established = lifetime.established;
    assert.ok(established && established.seconds !== null, `established: ${JSON.stringify(established)} ${JSON.stringify(report.nat.notes)}`);
    assert.ok(Math.abs(established.seconds - STREAM_SEC) <= 5, `established: measured ${established.seconds} s (${established.lowerSec}–${established.upperSec})`);

    const keepalive = report.recommendations.find((r) => r.id === 'keepalive')?.message ?? '';
    assert.match(keepalive, new RegExp(`once packets have gone both ways`), keepalive);
    const interval = Number(/PersistentKeepalive = (\d+)/.exec(keepalive)?.[1]);
    // A new mapping's first keepalive must come before the one-shot timer ends, whichever lifetime
    // the advice follows; and the text says which one that is.
    assert.ok(interval >= 1 && interval <= lifetime.lowerSec, `PersistentKeepalive = ${interval} with a one-shot lifetime of ${lifetime.lowerSec}–${lifetime.upperSec} s`);
    assert.match(keepalive, interval > Math.floor(lifetime.seconds / 2) ? /follow the established-flow lifetime/ : /follow the shorter lifetime/);
  });

  test('lint --report with that report (and a black-hole path MTU written by the test) gives the fixes the report recommends', { timeout: 30_000 }, async () => {
    assert.ok(measured, 'the measurement above produced a report');
    const report: Report = { ...measured, pathMtu: { target: `${STUN_PRIMARY}:3478`, bytes: 1400, blackHole: true, detail: 'written by the test' } };
    const reportFile = join(dir, 'report.json');
    writeFileSync(reportFile, JSON.stringify(report));
    const wg = join(dir, 'wg0.conf');
    writeFileSync(wg, '[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nAddress = 10.0.0.2/32\n\n[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nAllowedIPs = 10.0.0.0/24\nEndpoint = 198.51.100.1:51820\n');
    const ovpn = join(dir, 'client.ovpn');
    writeFileSync(ovpn, 'client\ndev tun\nproto udp\nremote 198.51.100.1 1194\n');

    const run = await runCli(topology.client, ['lint', wg, ovpn, '--report', reportFile, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const findings = run.json as { file: string; ruleId: string; fix?: { edits: { text: string }[] } }[];
    const fixText = (ruleId: string): string => findings.find((f) => f.ruleId === ruleId)?.fix?.edits.map((e) => e.text).join('') ?? '';
    // IPv4 endpoints on a 1400-byte path: 1400 − 20 − 8 − 32.
    assert.equal(fixText('wireguard/mtu-too-large'), 'MTU = 1340\n');
    assert.equal(fixText('openvpn/mtu-too-large'), 'mssfix 1400 mtu\n');
    const recommended = /PersistentKeepalive = (\d+)/.exec(report.recommendations.find((r) => r.id === 'keepalive')?.message ?? '')?.[1];
    assert.equal(fixText('wireguard/missing-persistent-keepalive'), `PersistentKeepalive = ${recommended}\n`);
  });
});

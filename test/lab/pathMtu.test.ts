// Path MTU on real links: a 1400-byte WAN whose router sends "fragmentation needed" (path MTU
// discovery works), the same with those ICMP messages dropped in the router (a black hole), an IPv6
// path with "packet too big" dropped, and a plain 1500-byte path. The report's pathMtu must name the
// bottleneck within 8 bytes and tell the black hole apart from a working discovery.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PathMtu, ProbeResult, Report } from '../../src/core/report/types';
import { assertCliBuilt, diagnoseIn, runCli } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, STUN6_ALTERNATE, STUN6_PRIMARY, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver']);
const TEST_TIMEOUT_MS = 40_000;
const STUN = `${STUN_PRIMARY}:3478`;
const STUN6 = `[${STUN6_PRIMARY}]:3478`;

function summary(report: Report): string {
  return JSON.stringify({ pathMtu: report.pathMtu, nat: report.nat, servers: report.servers }, null, 1);
}

/** Packets the routers' black-hole rules dropped (the nftables counter), to prove the ICMP was sent and lost. */
async function blackHoleDrops(t: NatTopology): Promise<number> {
  const run = await t.router.run('nft', ['list', 'table', 'inet', 'labpmtubh']);
  return [...run.stdout.matchAll(/counter packets (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe('path MTU and PMTU black holes', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let plain: NatTopology;
  let pmtud: NatTopology;
  let blackHole: NatTopology;
  let blackHole6: NatTopology;
  after(() => lab?.close());

  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    const owned = (lab = new Lab());
    [plain, pmtud, blackHole, blackHole6] = await Promise.all([
      buildNatTopology(owned, { behavior: 'port-restricted-cone' }),
      buildNatTopology(owned, { behavior: 'port-restricted-cone', wanMtu: 1400 }),
      buildNatTopology(owned, { behavior: 'port-restricted-cone', wanMtu: 1400, pmtuBlackHole: true }),
      buildNatTopology(owned, { behavior: 'port-restricted-cone', wanMtu: 1400, pmtuBlackHole: true, ipv6: true }),
    ]);
    await Promise.all([
      ...[plain, pmtud, blackHole].map((t) => startCoturn(t.publicNs, { addresses: t.serverAddresses })),
      startCoturn(blackHole6.publicNs, { addresses: [STUN6_PRIMARY, STUN6_ALTERNATE] }),
    ]);
  });

  test('a plain 1500-byte path: every size gets through, no black hole', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { report } = await diagnoseIn(plain.client, [STUN]);
    const why = summary(report);
    assert.equal(report.pathMtu?.target, STUN, why);
    assert.equal(report.pathMtu?.bytes, 1500, why);
    assert.equal(report.pathMtu?.blackHole, false, why);
  });

  test('a 1400-byte WAN with "fragmentation needed" delivered: 1400 bytes, discovery works', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { report } = await diagnoseIn(pmtud.client, [STUN]);
    const why = summary(report);
    const bytes = report.pathMtu?.bytes ?? 0;
    assert.ok(bytes <= 1400 && bytes >= 1392, why);
    assert.equal(report.pathMtu?.blackHole, false, why);
    assert.match(report.pathMtu?.detail ?? '', /fragmentation needed|already knew/, why);
  });

  test('a 1400-byte WAN whose "fragmentation needed" is dropped: a black hole at 1400 bytes', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { report } = await diagnoseIn(blackHole.client, [STUN]);
    const why = summary(report);
    const bytes = report.pathMtu?.bytes ?? 0;
    assert.ok(bytes <= 1400 && bytes >= 1392, why);
    assert.equal(report.pathMtu?.blackHole, true, why);
    assert.ok((await blackHoleDrops(blackHole)) > 0, 'the router never sent "fragmentation needed": the black hole was not tested');
  });

  test('an IPv6 path of 1400 bytes with "packet too big" dropped: a black hole at 1400 bytes', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { report } = await diagnoseIn(blackHole6.client, [STUN6]);
    const why = summary(report);
    assert.equal(report.pathMtu?.target, STUN6, why);
    const bytes = report.pathMtu?.bytes ?? 0;
    assert.ok(bytes <= 1400 && bytes >= 1392, why);
    assert.equal(report.pathMtu?.blackHole, true, why);
    assert.ok((await blackHoleDrops(blackHole6)) > 0, 'the router never sent "packet too big"');
  });

  test('probe --mtu measures the path to a STUN endpoint, and says why it cannot for WireGuard', { timeout: TEST_TIMEOUT_MS }, async () => {
    const stun = await runCli(blackHole.client, ['probe', `${STUN_PRIMARY}:3478/stun`, '--mtu', '--json']);
    assert.equal(stun.code, 0, stun.stderr);
    const result = stun.json as ProbeResult & { pathMtu: PathMtu };
    assert.equal(result.state, 'open', stun.stdout);
    assert.equal(result.pathMtu.blackHole, true, stun.stdout);
    assert.ok((result.pathMtu.bytes ?? 0) <= 1400 && (result.pathMtu.bytes ?? 0) >= 1392, stun.stdout);
    const wg = await runCli(blackHole.client, ['probe', `${STUN_PRIMARY}:51820/wireguard`, '--mtu', '--json']);
    assert.equal(wg.code, 0, wg.stderr);
    const wgResult = wg.json as ProbeResult & { pathMtu: PathMtu };
    assert.equal(wgResult.pathMtu.bytes, null, wg.stdout);
    assert.match(wgResult.pathMtu.detail, /not measurable with wireguard/, wg.stdout);
  });
});

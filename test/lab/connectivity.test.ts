// "UDP blocked" and "offline" told apart on real networks: a router that drops UDP while the STUN
// server's address answers TCP (a RST from a closed port 443, or a SYN-ACK from a listener), and a
// router that drops everything. The first is `udp-blocked` with advice for TCP/TLS VPNs; the second
// is `offline` (exit 1), and no face calls it "UDP blocked".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { assertCliBuilt, diagnoseIn, runCli } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab } from './netns';
import { startListener } from './probeServers';

const gate = labGate(['turnserver']);
const STUN = `${STUN_PRIMARY}:3478`;
const TEST_TIMEOUT_MS = 40_000;

function summary(report: Report): string {
  return JSON.stringify({ servers: report.servers, nat: report.nat, connectivity: report.connectivity, recommendations: report.recommendations.map((r) => r.id) }, null, 1);
}

describe('connectivity: UDP blocked versus offline', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let udpDroppedRst: NatTopology;
  let udpDroppedListener: NatTopology;
  let allDropped: NatTopology;
  after(() => lab?.close());

  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    const owned = (lab = new Lab());
    [udpDroppedRst, udpDroppedListener, allDropped] = await Promise.all(
      [0, 1, 2].map(async () => {
        const t = await buildNatTopology(owned, { behavior: 'udp-blocked' });
        await startCoturn(t.publicNs, { addresses: t.serverAddresses });
        return t;
      }),
    ) as [NatTopology, NatTopology, NatTopology];
    await startListener(udpDroppedListener.publicNs, { address: STUN_PRIMARY, port: 443 });
    // Everything forwarded is dropped, TCP included: the client has a route and a gateway, but
    // nothing beyond the router answers.
    await allDropped.router.nft('table ip dropall {\n  chain everything {\n    type filter hook forward priority -10; policy drop;\n  }\n}\n');
  });

  test('UDP dropped while TCP to the server is answered with a reset: udp-blocked, with what works without UDP', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { report, run } = await diagnoseIn(udpDroppedRst.client, [STUN]);
    const why = summary(report);
    assert.equal(run.code, 0, why);
    assert.deepEqual(report.connectivity, { state: 'udp-blocked', dns: 'not-needed', tcp: 'ok', captivePortal: null }, why);
    assert.equal(report.nat.udp, 'blocked', why);
    assert.equal(report.nat.type, 'udp-blocked', why);
    const advice = report.recommendations.find((r) => r.id === 'udp-blocked');
    assert.match(advice?.message ?? '', /TCP on port 443/, why);
    assert.match(advice?.message ?? '', /TURN relay over TCP or TLS/, why);
    assert.match((report.nat.notes ?? []).join('\n'), /answered with a reset/, why);
  });

  test('UDP dropped while TCP 443 accepts the connection: the same verdict from a SYN-ACK', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { report } = await diagnoseIn(udpDroppedListener.client, [STUN]);
    const why = summary(report);
    assert.equal(report.connectivity?.state, 'udp-blocked', why);
    assert.equal(report.connectivity?.tcp, 'ok', why);
    assert.match((report.nat.notes ?? []).join('\n'), /accepted a connection/, why);
  });

  test('nothing beyond the router answers: offline, exit 1, and no face says "UDP blocked"', { timeout: TEST_TIMEOUT_MS }, async () => {
    const run = await runCli(allDropped.client, ['diagnose', '--json', '--stun', STUN, '--timeout', '8000'], 30_000);
    assert.equal(run.code, 1, run.stderr);
    const report = run.json as Report;
    const why = summary(report);
    assert.deepEqual(report.connectivity, { state: 'offline', dns: 'not-needed', tcp: 'blocked', captivePortal: null }, why);
    assert.equal(report.nat.udp, 'blocked', why);
    assert.equal(report.nat.type, 'unknown', why);
    assert.deepEqual(report.recommendations.map((r) => r.id), ['no-network'], why);
    const text = await runCli(allDropped.client, ['diagnose', '--stun', STUN, '--timeout', '8000'], 30_000);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /Offline/);
    assert.doesNotMatch(text.stdout, /UDP blocked/i);
  });
});

// A machine with no network at all (a namespace with only loopback): the CLI must say so, with an
// error entry per server, exit 1, and no retransmission wait. No packet leaves the namespace:
// without a route, neither DNS nor STUN can send.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertCliBuilt, diagnoseIn, runCli } from './cliRunner';
import { startCoturn } from './coturn';
import { buildNatTopology, STUN_ALTERNATE, STUN_PRIMARY, type NatTopology } from './natTopology';
import { labGate } from './labEnv';
import { Lab, type Netns } from './netns';

const gate = labGate(['turnserver']);
const LAB_DNS = '203.0.113.53';

describe('diagnose on a machine with no network', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let offline: Netns;
  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    lab = new Lab();
    offline = await lab.addNamespace('offline');
  });
  after(() => lab?.close());

  test('a name that does not resolve and an unroutable address are error entries, and the report says there is no network', async () => {
    const run = await runCli(offline, ['diagnose', '--json', '--stun', 'stun.example.invalid:3478', '--stun', '203.0.113.10:3478']);
    assert.equal(run.code, 1, `exit code 1 means the diagnosis could not run; stderr: ${run.stderr}`);
    const report = run.json as Report;
    assert.equal(report.schemaVersion, 1);
    const [named, literal] = report.servers;
    assert.equal(named?.address, '');
    assert.match(named?.error ?? '', /stun\.example\.invalid/);
    assert.equal(literal?.address, '203.0.113.10');
    // A send error, not a timeout: the run did not wait out retransmissions to learn this.
    assert.match(literal?.error ?? '', /unreachable/);
    assert.equal(report.nat.udp, 'blocked');
    assert.equal(report.nat.type, 'unknown', 'nothing was sent, so "UDP blocked" would be a guess');
    assert.deepEqual(report.connectivity, { state: 'offline', dns: 'failed', tcp: 'blocked', captivePortal: null });
    assert.deepEqual(report.recommendations.map((r) => r.id), ['no-network']);
  });

  test('the text report names the problem in words', async () => {
    const run = await runCli(offline, ['diagnose', '--stun', '203.0.113.10:3478']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /check that this machine is online/);
    assert.match(run.stdout, /Offline/);
    assert.doesNotMatch(run.stdout, /UDP blocked/i);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });
});

describe('a STUN server whose name does not resolve', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let topology: NatTopology;
  let resolvConfDir: string | undefined;
  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    lab = new Lab();
    topology = await buildNatTopology(lab, { behavior: 'port-restricted-cone' });
    await startCoturn(topology.publicNs, { addresses: [STUN_PRIMARY, STUN_ALTERNATE] });
    // `ip netns exec` mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf: the client's DNS
    // server is a lab address where nothing answers, so no query leaves the lab.
    await topology.addPublicAddress(LAB_DNS);
    resolvConfDir = join('/etc/netns', topology.client.name);
    mkdirSync(resolvConfDir, { recursive: true });
    writeFileSync(join(resolvConfDir, 'resolv.conf'), `nameserver ${LAB_DNS}\noptions timeout:1 attempts:1\n`);
  });
  after(async () => {
    if (resolvConfDir) rmSync(resolvConfDir, { recursive: true, force: true });
    await lab?.close();
  });

  test('is an error entry naming the host, and the other servers carry on to a full verdict', async () => {
    const { report, run } = await diagnoseIn(topology.client, ['stun.example.invalid:3478', `${STUN_PRIMARY}:3478`]);
    assert.equal(run.code, 0);
    assert.equal(report.servers[0]?.address, '');
    assert.match(report.servers[0]?.error ?? '', /^stun\.example\.invalid: /);
    assert.equal(report.servers[1]?.rfc5780, true);
    assert.equal(report.nat.type, 'port-restricted-cone');
    assert.equal(report.connectivity?.state, 'online');
    assert.equal(report.connectivity?.dns, 'failed');
    assert.ok(report.recommendations.some((r) => r.id === 'dns-failed'), JSON.stringify(report.recommendations));
    assert.match((report.nat.notes ?? []).join('\n'), /DNS does not work here \(stun\.example\.invalid:3478 did not resolve\)/);
  });
});

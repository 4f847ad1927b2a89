// Self-test of the lab: every NAT the lab builds is classified as intended by coturn's reference
// client `turnutils_natdiscovery -m -f` (RFC 5780 mapping + filtering), and the lab leaves no
// namespace behind. If this file fails, the NAT engine's lab tests prove nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, STUN_PRIMARY, type NatBehavior, type NatTopology } from './natTopology';
import { Lab } from './netns';
import { stunPingIn } from './stunPing';

/** Alive and not a zombie (an orphan's zombie lingers until whatever is pid 1 reaps it). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const gate = labGate(['turnserver', 'turnutils_natdiscovery']);

interface Expected {
  mapping: RegExp;
  filtering: RegExp | null; // null: no answer at all (UDP blocked)
}

const EXPECTED: Record<NatBehavior, Expected> = {
  'none': { mapping: /Endpoint Independent Mapping/, filtering: /Endpoint Independent Filtering/ },
  'firewall': { mapping: /Endpoint Independent Mapping/, filtering: /Address and Port Dependent Filtering/ },
  'full-cone': { mapping: /Endpoint Independent Mapping/, filtering: /Endpoint Independent Filtering/ },
  'restricted-cone': { mapping: /Endpoint Independent Mapping/, filtering: /NAT with Address Dependent Filtering/ },
  'port-restricted-cone': { mapping: /Endpoint Independent Mapping/, filtering: /Address and Port Dependent Filtering/ },
  'symmetric': { mapping: /Address and Port Dependent Mapping/, filtering: /Address and Port Dependent Filtering/ },
  'symmetric-sequential': { mapping: /Address and Port Dependent Mapping/, filtering: /Address and Port Dependent Filtering/ },
  'udp-blocked': { mapping: /^$/, filtering: null },
};

describe('NAT lab self-test against turnutils_natdiscovery', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  const topologies = new Map<NatBehavior, NatTopology>();
  const outputs = new Map<NatBehavior, string>();
  after(() => lab?.close());

  // One topology per behaviour, all built and measured concurrently (natdiscovery waits ~3 s per
  // negative test, so running them one after another would take a minute).
  before(async () => {
    gate.assertReady();
    const owned = (lab = new Lab());
    const behaviours = Object.keys(EXPECTED) as NatBehavior[];
    await Promise.all(
      behaviours.map(async (behavior) => {
        const topology = await buildNatTopology(owned, { behavior });
        await startCoturn(topology.publicNs, { addresses: topology.serverAddresses });
        topologies.set(behavior, topology);
        const run = await topology.client.run('turnutils_natdiscovery', ['-m', '-f', STUN_PRIMARY], { timeoutMs: 30_000 });
        outputs.set(behavior, run.stdout + run.stderr);
      }),
    );
  });

  for (const [behavior, expected] of Object.entries(EXPECTED) as [NatBehavior, Expected][]) {
    test(`the lab's ${behavior} router is classified as such by turnutils_natdiscovery`, () => {
      const out = outputs.get(behavior) ?? '';
      if (expected.filtering === null) {
        assert.doesNotMatch(out, /NAT with/, `no behaviour should be found through a UDP-blocking router:\n${out}`);
        return;
      }
      const mappingLine = out.split('\n').find((l) => /NAT with .* Mapping/.test(l)) ?? '';
      const filteringLine = out.split('\n').find((l) => /NAT with .* Filtering/.test(l)) ?? '';
      assert.match(mappingLine, expected.mapping, out);
      assert.match(filteringLine, expected.filtering, out);
    });
  }

  test('a no-NAT client is seen at its own address and a NATted one at the router WAN', async () => {
    const open = topologies.get('none');
    const natted = topologies.get('port-restricted-cone');
    assert.ok(open && natted);
    const direct = await stunPingIn(open.client, STUN_PRIMARY, 3478);
    assert.equal(direct.mapped.address, open.clientAddress);
    assert.equal(direct.mapped.address, open.expectedPublicAddress);
    const mapped = await stunPingIn(natted.client, STUN_PRIMARY, 3478);
    assert.equal(mapped.mapped.address, natted.expectedPublicAddress);
    assert.deepEqual(mapped.otherAddress, { address: '203.0.113.11', port: 3479 });
  });
});

describe('NAT lab cleanup', { skip: gate.skip }, () => {
  test('closing a lab deletes its namespaces and stops its processes, even mid-run', async () => {
    gate.assertReady();
    const lab = new Lab();
    let names: string[] = [];
    let pid: number | undefined;
    try {
      const topology = await buildNatTopology(lab, { behavior: 'symmetric', carrier: { behavior: 'port-restricted-cone' }, udpLossPercent: 10 });
      const coturn = await startCoturn(topology.publicNs, { addresses: [STUN_PRIMARY] });
      names = lab.namespaceNames;
      pid = coturn.process.pid;
      assert.equal(names.length, 4);
      // The CGNAT variant: the STUN server sees the carrier's WAN address.
      const seen = await stunPingIn(topology.client, STUN_PRIMARY, 3478, 8_000);
      assert.equal(seen.mapped.address, topology.expectedPublicAddress);
    } finally {
      await lab.close();
    }
    const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    for (const name of names) assert.ok(!listed.includes(name), `${name} still exists`);
    assert.ok(pid !== undefined);
    assert.ok(!isRunning(pid), 'turnserver still running');
  });

  test('nftables loss emulation drops UDP at 100 % and lets it through again at 0 %', async () => {
    gate.assertReady();
    const lab = new Lab();
    try {
      const topology = await buildNatTopology(lab, { behavior: 'full-cone' });
      await startCoturn(topology.publicNs, { addresses: [STUN_PRIMARY] });
      await topology.setUdpLoss(100);
      await assert.rejects(stunPingIn(topology.client, STUN_PRIMARY, 3478, 700), /no STUN answer/);
      await topology.setUdpLoss(0);
      const seen = await stunPingIn(topology.client, STUN_PRIMARY, 3478, 3_000);
      assert.equal(seen.mapped.address, topology.expectedPublicAddress);
    } finally {
      await lab.close();
    }
  });

  // The safety net: a test process that dies without calling close() still leaves nothing behind.
  for (const ending of ['process.exit(3)', 'process.kill(process.pid, "SIGTERM")', 'throw new Error("test failed")'] as const) {
    test(`a lab process ending with ${ending} removes its namespaces and processes`, async () => {
      gate.assertReady();
      const script = `
        const { Lab } = require(${JSON.stringify(join(__dirname, 'netns.js'))});
        const { buildNatTopology } = require(${JSON.stringify(join(__dirname, 'natTopology.js'))});
        const lab = new Lab();
        buildNatTopology(lab, { behavior: 'symmetric' }).then(async (t) => {
          const sleeper = t.publicNs.spawn('sleep', ['30']);
          await new Promise((resolve) => sleeper.child.once('spawn', resolve));
          console.log(JSON.stringify({ names: lab.namespaceNames, pid: sleeper.pid }));
          ${ending};
        });`;
      const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
      const firstLine = child.stdout.split('\n')[0] ?? '';
      assert.ok(firstLine.startsWith('{'), `child printed no state (status ${child.status}, signal ${child.signal}):\n${child.stdout}\n${child.stderr}`);
      const { names, pid } = JSON.parse(firstLine) as { names: string[]; pid: number };
      assert.equal(names.length, 3);
      const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
      for (const name of names) assert.ok(!listed.includes(name), `${name} survived ${ending}`);
      assert.ok(!isRunning(pid), `a process spawned in the lab survived ${ending}`);
    });
  }
});

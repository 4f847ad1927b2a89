// Self-test of the lab: every NAT the lab builds is classified as intended by coturn's reference
// client `turnutils_natdiscovery -m -f` (RFC 5780 mapping + filtering), and the lab leaves no
// namespace behind. If this file fails, the NAT engine's lab tests prove nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, STUN_PRIMARY, type NatBehavior, type NatTopology } from './natTopology';
import { Lab } from './netns';
import { stunPingIn } from './stunPing';

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
    assert.throws(() => process.kill(pid as number, 0), /ESRCH/, 'turnserver still running');
  });
});

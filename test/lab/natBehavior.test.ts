// The NAT engine against real NATs: each test runs the built CLI (`dist/cli.js diagnose --json`)
// inside the client namespace of a lab topology whose router is an nftables NAT, with coturn on
// two addresses (RFC 5780) in the public namespace, and checks the verdicts docs/report-schema.md defines.
// Topologies are built once, concurrently, in before(); the diagnoses run one at a time so that
// timings (durationMs) are not distorted by each other.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { assertCliBuilt, diagnoseIn } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, dropFirstArpReply, INTERNET, NAT_BEHAVIORS, PUBLIC_LAN, STUN_PRIMARY, type NatBehavior, type NatTopology } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver']);
const STUN = `${STUN_PRIMARY}:3478`;
const TEST_TIMEOUT_MS = 40_000;

const BEHAVIOURS: readonly NatBehavior[] = NAT_BEHAVIORS;

function summary(report: Report): string {
  return JSON.stringify({ durationMs: report.durationMs, servers: report.servers, publicAddress: report.publicAddress, nat: report.nat }, null, 1);
}

describe('NAT behaviour discovery on real nftables NATs (RFC 5780, coturn with two addresses)', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  const topologies = new Map<NatBehavior, NatTopology>();
  let doubleNat: NatTopology | undefined; // full-cone home router behind a symmetric carrier NAT
  let slowFirstExchange: NatTopology | undefined; // port-restricted, the client's first ARP reply lost
  after(() => lab?.close());

  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    const owned = (lab = new Lab());
    await Promise.all([
      ...BEHAVIOURS.map(async (behavior) => {
        const topology = await buildNatTopology(owned, { behavior });
        await startCoturn(topology.publicNs, { addresses: topology.serverAddresses });
        topologies.set(behavior, topology);
      }),
      (async () => {
        const topology = await buildNatTopology(owned, { behavior: 'full-cone', carrier: { behavior: 'symmetric' } });
        await startCoturn(topology.publicNs, { addresses: topology.serverAddresses });
        doubleNat = topology;
      })(),
      (async () => {
        const topology = await buildNatTopology(owned, { behavior: 'port-restricted-cone' });
        await startCoturn(topology.publicNs, { addresses: topology.serverAddresses });
        await dropFirstArpReply(topology.client);
        slowFirstExchange = topology;
      })(),
    ]);
  });

  const diagnoseBehind = async (behavior: NatBehavior): Promise<Report> => {
    const topology = topologies.get(behavior);
    assert.ok(topology, `no ${behavior} topology`);
    const { report } = await diagnoseIn(topology.client, [STUN]);
    assert.equal(report.schemaVersion, 1);
    return report;
  };

  /** Symmetric: a new mapping per destination (ADM or APDM, masquerade random picks either) and APDF. */
  const assertSymmetric = (t: TestContext, report: Report): void => {
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.equal(report.publicAddress?.address, INTERNET.router, why);
    assert.ok(['address-dependent', 'address-and-port-dependent'].includes(report.nat.mapping), why);
    assert.equal(report.nat.filtering, 'address-and-port-dependent', why);
    assert.equal(report.nat.type, 'symmetric', why);
  };

  // One row per NAT the lab builds: what RFC 5780 must find behind it.
  const VERDICTS: Array<{ name: string; behavior: NatBehavior; publicAddress: string } & Pick<Report['nat'], 'mapping' | 'filtering' | 'type'>> = [
    { name: 'a client with a public address and no filtering is reported as open internet', behavior: 'none', publicAddress: PUBLIC_LAN.client, mapping: 'none', filtering: 'endpoint-independent', type: 'open-internet' },
    { name: 'a public address behind a stateful firewall is reported as symmetric UDP firewall', behavior: 'firewall', publicAddress: PUBLIC_LAN.client, mapping: 'none', filtering: 'address-and-port-dependent', type: 'symmetric-udp-firewall' },
    { name: 'a full-cone NAT (masquerade + DNAT of every port) is detected as EIM + EIF', behavior: 'full-cone', publicAddress: INTERNET.router, mapping: 'endpoint-independent', filtering: 'endpoint-independent', type: 'full-cone' },
    { name: 'a restricted-cone NAT (DNAT only from contacted addresses) is detected as EIM + ADF', behavior: 'restricted-cone', publicAddress: INTERNET.router, mapping: 'endpoint-independent', filtering: 'address-dependent', type: 'restricted-cone' },
    { name: 'a port-restricted-cone NAT (plain masquerade) is detected as EIM + APDF with port preservation', behavior: 'port-restricted-cone', publicAddress: INTERNET.router, mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', type: 'port-restricted-cone' },
  ];
  for (const expected of VERDICTS) {
    test(expected.name, { timeout: TEST_TIMEOUT_MS }, async (t) => {
      const report = await diagnoseBehind(expected.behavior);
      const why = summary(report);
      t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
      assert.equal(report.nat.udp, 'ok', why);
      assert.equal(report.servers[0]?.rfc5780, true, why);
      assert.equal(report.publicAddress?.address, expected.publicAddress, why);
      assert.equal(report.nat.mapping, expected.mapping, why);
      assert.equal(report.nat.filtering, expected.filtering, why);
      assert.equal(report.nat.type, expected.type, why);
      // Masquerade keeps the client's port for every new mapping (RFC 4787 §4.2.1).
      assert.equal(report.nat.portAllocation?.pattern, 'preserving', why);
      assert.ok((report.nat.portAllocation?.samples ?? 0) >= 4, `an RFC 5780 server offers four address/port pairs\n${why}`);
      if (expected.behavior === 'port-restricted-cone') {
        assert.equal(report.nat.portPreservation, true, why);
        assert.equal(report.nat.alg, false, why);
      }
    });
  }

  test('symmetric NAT is detected through a masquerade-random router, with random port allocation', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const report = await diagnoseBehind('symmetric');
    assertSymmetric(t, report);
    assert.equal(report.nat.portAllocation?.pattern, 'random', summary(report));
    assert.equal(report.nat.portAllocation?.delta, null, summary(report));
  });

  test('a symmetric NAT that counts ports up (numgen inc → port map) is sequential with delta 1', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const report = await diagnoseBehind('symmetric-sequential');
    assertSymmetric(t, report);
    assert.equal(report.nat.portAllocation?.pattern, 'sequential', summary(report));
    assert.equal(report.nat.portAllocation?.delta, 1, summary(report));
    assert.ok((report.nat.portAllocation?.samples ?? 0) >= 4, summary(report));
  });

  // The verdict's speed (≤ 3 s) is measured by bench/diagnose.bench.mjs, not asserted here.
  test('a router that drops all UDP is reported as UDP blocked', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const report = await diagnoseBehind('udp-blocked');
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.equal(report.nat.udp, 'blocked', why);
    assert.equal(report.nat.type, 'udp-blocked', why);
    assert.equal(report.publicAddress, null, why);
    assert.deepEqual(report.recommendations.map((r) => r.id), ['udp-blocked'], why);
  });

  test('a full-cone home router behind a symmetric carrier NAT is reported as symmetric (the worst NAT on the path wins)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(doubleNat, 'no double-NAT topology');
    assertSymmetric(t, (await diagnoseIn(doubleNat.client, [STUN])).report);
  });

  test('a first exchange held up 1 s by address resolution still gives the port-restricted-cone verdict before the deadline', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // The first Binding Request waits in the neighbour queue with its retransmissions and they all
    // leave together: the first answer's "RTT" says nothing about the path, so it must not set an
    // RTO that makes the negative filtering tests outlast the 8 s deadline.
    assert.ok(slowFirstExchange, 'no slow-first-exchange topology');
    const { report } = await diagnoseIn(slowFirstExchange.client, [STUN]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} servers ${JSON.stringify(report.servers)} durationMs ${report.durationMs}`);
    assert.equal(report.nat.mapping, 'endpoint-independent', why);
    assert.equal(report.nat.filtering, 'address-and-port-dependent', why);
    assert.equal(report.nat.type, 'port-restricted-cone', why);
    assert.ok(!report.nat.notes?.some((n) => /stopped before/.test(n)), `the run hit the deadline\n${why}`);
  });
});

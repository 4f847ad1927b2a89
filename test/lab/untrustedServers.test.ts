// The NAT engine with STUN servers that cannot, or will not, run the RFC 5780 tests: coturn with a
// single address (no OTHER-ADDRESS, 420 to CHANGE-REQUEST), two such servers (mapping compared
// across servers), and a hostile responder (garbage, wrong transaction ids, truncated/oversized
// packets, replies from the wrong address, a false OTHER-ADDRESS). The rule under test: never a
// guessed verdict, never a crash, and a bad server never changes what a good one proved.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { assertCliBuilt, diagnoseIn, runCli } from './cliRunner';
import { startCoturn } from './coturn';
import { ALL_HOSTILE_BEHAVIOURS, FALSE_MAPPED, startHostileResponder, type HostileBehaviour, type HostileResponder } from './hostileResponder';
import { labGate } from './labEnv';
import { buildNatTopology, INTERNET, STUN_ALTERNATE, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver']);
const TEST_TIMEOUT_MS = 40_000;
const HOSTILE = '203.0.113.20';
const HOSTILE_OTHER = '203.0.113.21';
const HOSTILE_WRONG_SOURCE = '203.0.113.22';

type Setup =
  | 'singleAddress'
  | 'twoSingles'
  | 'twoSinglesSymmetric'
  | 'hostileBesideGood'
  | 'hostileOnly'
  | 'garbageOnly'
  | 'falseRfc5780'
  | 'falseRfc5780BesideGood'
  | 'unknownRequiredOnly';

async function twoSingleAddressServers(lab: Lab, behavior: 'port-restricted-cone' | 'symmetric'): Promise<NatTopology> {
  const t = await buildNatTopology(lab, { behavior });
  await Promise.all([startCoturn(t.publicNs, { addresses: [STUN_PRIMARY] }), startCoturn(t.publicNs, { addresses: [STUN_ALTERNATE] })]);
  return t;
}

function summary(report: Report): string {
  return JSON.stringify({ durationMs: report.durationMs, servers: report.servers, publicAddress: report.publicAddress, nat: report.nat }, null, 1);
}

/** Change-request flags of the requests a hostile responder saw (0 = plain Binding Request). */
function changeFlagsSeen(hostile: HostileResponder): number[] {
  return [...hostile.process.stdout.matchAll(/^REQ \S+ change=(\d+)/gm)].map((m) => Number(m[1]));
}

describe('NAT verdicts with STUN servers that cannot or will not run RFC 5780', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  const topologies = new Map<Setup, NatTopology>();
  const hostiles = new Map<NatTopology, HostileResponder>();
  after(() => lab?.close());

  const withHostile = async (
    topology: NatTopology,
    options: { real: boolean; claimOther: boolean; realFirst?: boolean; only?: readonly HostileBehaviour[] },
  ): Promise<NatTopology> => {
    for (const a of [HOSTILE, HOSTILE_OTHER, HOSTILE_WRONG_SOURCE]) await topology.addPublicAddress(a);
    const hostile = await startHostileResponder(topology.publicNs, {
      listen: { address: HOSTILE, port: 3478 },
      wrongSourceAddress: HOSTILE_WRONG_SOURCE,
      behaviours:
        options.only ?? (!options.real ? ALL_HOSTILE_BEHAVIOURS : options.realFirst ? ['real', ...ALL_HOSTILE_BEHAVIOURS] : [...ALL_HOSTILE_BEHAVIOURS, 'real']),
      ...(options.claimOther ? { claimOtherAddress: { address: HOSTILE_OTHER, port: 3479 } } : {}),
    });
    hostiles.set(topology, hostile);
    return topology;
  };

  // Full-cone NATs where stray packets must reach the client (an APDF NAT would drop them for us).
  const SETUPS: Record<Setup, (owned: Lab) => Promise<NatTopology>> = {
    singleAddress: async (owned) => {
      const t = await buildNatTopology(owned, { behavior: 'port-restricted-cone', serverAddresses: [STUN_PRIMARY] });
      await startCoturn(t.publicNs, { addresses: [STUN_PRIMARY] });
      return t;
    },
    twoSingles: (owned) => twoSingleAddressServers(owned, 'port-restricted-cone'),
    twoSinglesSymmetric: (owned) => twoSingleAddressServers(owned, 'symmetric'),
    hostileBesideGood: async (owned) => {
      const t = await buildNatTopology(owned, { behavior: 'full-cone' });
      await startCoturn(t.publicNs, { addresses: t.serverAddresses });
      return withHostile(t, { real: true, claimOther: false });
    },
    hostileOnly: async (owned) => withHostile(await buildNatTopology(owned, { behavior: 'full-cone' }), { real: true, claimOther: false }),
    garbageOnly: async (owned) => withHostile(await buildNatTopology(owned, { behavior: 'full-cone' }), { real: false, claimOther: false }),
    falseRfc5780: async (owned) => withHostile(await buildNatTopology(owned, { behavior: 'port-restricted-cone' }), { real: true, claimOther: true }),
    falseRfc5780BesideGood: async (owned) => {
      const t = await buildNatTopology(owned, { behavior: 'port-restricted-cone' });
      await startCoturn(t.publicNs, { addresses: t.serverAddresses });
      // Make the false server win the race to be the one the behaviour tests run against: its true
      // answer goes first, and coturn's first answer after this point is dropped (numgen inc counts
      // packets from 0, so "< 1" matches the first one only).
      await t.publicNs.nft(
        'table ip labrace {\n  chain out {\n    type filter hook output priority 0; policy accept;\n' +
          `    ip saddr ${STUN_PRIMARY} udp sport 3478 numgen inc mod 1000000 < 1 drop\n  }\n}\n`,
      );
      return withHostile(t, { real: true, claimOther: true, realFirst: true });
    },
    unknownRequiredOnly: async (owned) =>
      withHostile(await buildNatTopology(owned, { behavior: 'full-cone' }), { real: false, claimOther: false, only: ['unknown-required', 'fingerprint-not-last'] }),
  };

  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    const owned = (lab = new Lab());
    await Promise.all(Object.entries(SETUPS).map(async ([name, setup]) => topologies.set(name as Setup, await setup(owned))));
  });

  const topology = (name: Setup): NatTopology => {
    const t = topologies.get(name);
    assert.ok(t, `topology ${name} was not built`);
    return t;
  };
  const hostileOf = (name: Setup): HostileResponder => {
    const h = hostiles.get(topology(name));
    assert.ok(h, `no hostile responder in ${name}`);
    return h;
  };

  test('coturn with one address gives filtering "unknown", never a false endpoint-independent, and rfc5780 false', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { report } = await diagnoseIn(topology('singleAddress').client, [`${STUN_PRIMARY}:3478`]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.equal(report.nat.udp, 'ok', why);
    assert.equal(report.publicAddress?.address, INTERNET.router, why);
    assert.equal(report.servers[0]?.rfc5780, false, why);
    assert.equal(report.nat.filtering, 'unknown', why);
    // One server without OTHER-ADDRESS cannot test mapping either: nothing may be guessed.
    assert.equal(report.nat.mapping, 'unknown', why);
    assert.equal(report.nat.type, 'unknown', why);
  });

  test('two single-address servers prove endpoint-independent mapping on a port-restricted NAT, filtering stays unknown', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { report } = await diagnoseIn(topology('twoSingles').client, [`${STUN_PRIMARY}:3478`, `${STUN_ALTERNATE}:3478`]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.deepEqual(report.servers.map((s) => s.rfc5780), [false, false], why);
    assert.equal(report.nat.mapping, 'endpoint-independent', why);
    assert.equal(report.nat.filtering, 'unknown', why);
    assert.notEqual(report.nat.type, 'full-cone', why);
  });

  test('two single-address servers see the mapping vary by destination on a symmetric NAT', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { report } = await diagnoseIn(topology('twoSinglesSymmetric').client, [`${STUN_PRIMARY}:3478`, `${STUN_ALTERNATE}:3478`]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.ok(['address-dependent', 'address-and-port-dependent', 'unknown'].includes(report.nat.mapping), why);
    assert.notEqual(report.nat.mapping, 'endpoint-independent', why);
    assert.equal(report.nat.filtering, 'unknown', why);
    assert.ok(['symmetric', 'unknown'].includes(report.nat.type), why);
  });

  test('a hostile responder beside a good RFC 5780 server does not change the full-cone verdict', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const hostile = hostileOf('hostileBesideGood');
    const { report, run } = await diagnoseIn(topology('hostileBesideGood').client, [`${STUN_PRIMARY}:3478`, hostile.server]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.ok(hostile.requestCount() > 0, 'the hostile responder was never asked: this test would prove nothing');
    assert.ok(!run.stdout.includes(FALSE_MAPPED.address), `a hostile (false) address leaked into the report\n${why}`);
    assert.equal(report.publicAddress?.address, INTERNET.router, why);
    assert.equal(report.servers.find((s) => s.server === `${STUN_PRIMARY}:3478`)?.rfc5780, true, why);
    assert.equal(report.servers.find((s) => s.server === hostile.server)?.rfc5780, false, why);
    assert.equal(report.nat.mapping, 'endpoint-independent', why);
    assert.equal(report.nat.filtering, 'endpoint-independent', why);
    assert.equal(report.nat.type, 'full-cone', why);
  });

  test('a hostile responder alone (true answers among the garbage) yields the true public address and no guessed verdict', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const hostile = hostileOf('hostileOnly');
    const { report, run } = await diagnoseIn(topology('hostileOnly').client, [hostile.server]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.ok(hostile.requestCount() > 0, 'the hostile responder was never asked');
    assert.ok(!run.stdout.includes(FALSE_MAPPED.address), `a hostile (false) address leaked into the report\n${why}`);
    assert.equal(report.nat.udp, 'ok', why);
    assert.equal(report.publicAddress?.address, INTERNET.router, why);
    assert.equal(report.servers[0]?.rfc5780, false, why);
    assert.equal(report.nat.filtering, 'unknown', why);
    assert.equal(report.nat.mapping, 'unknown', why);
  });

  test('a responder that only sends garbage and misdirected replies crashes nothing and proves nothing', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const hostile = hostileOf('garbageOnly');
    const run = await runCli(topology('garbageOnly').client, ['diagnose', '--json', '--stun', hostile.server, '--timeout', '8000'], 20_000);
    assert.ok(hostile.requestCount() > 0, 'the hostile responder was never asked');
    assert.ok(run.code === 0 || run.code === 1, `exit ${run.code ?? run.signal}: ${run.stderr}`);
    assert.ok(typeof run.json === 'object' && run.json !== null, `stdout is not one JSON document:\n${run.stdout}`);
    const report = run.json as Report;
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.ok(!run.stdout.includes(FALSE_MAPPED.address), `a hostile (false) address leaked into the report\n${why}`);
    assert.equal(report.publicAddress, null, why);
    assert.equal(report.nat.mapping, 'unknown', why);
    assert.equal(report.nat.filtering, 'unknown', why);
    assert.ok(['udp-blocked', 'unknown'].includes(report.nat.type), why);
  });

  test('answers with an unknown comprehension-required attribute or a misplaced FINGERPRINT are not answers, and the notes say so', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const hostile = hostileOf('unknownRequiredOnly');
    const run = await runCli(topology('unknownRequiredOnly').client, ['diagnose', '--json', '--stun', hostile.server, '--timeout', '8000'], 20_000);
    assert.ok(hostile.requestCount() > 0, 'the hostile responder was never asked');
    assert.ok(typeof run.json === 'object' && run.json !== null, `stdout is not one JSON document:\n${run.stdout}`);
    const report = run.json as Report;
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} servers ${JSON.stringify(report.servers)}`);
    assert.ok(!run.stdout.includes(FALSE_MAPPED.address), `the address of an answer that must not count leaked into the report\n${why}`);
    assert.equal(report.publicAddress, null, why);
    assert.equal(report.nat.udp, 'ok', `answers came back, so UDP is not blocked\n${why}`);
    assert.notEqual(report.nat.type, 'udp-blocked', why);
    assert.match((report.nat.notes ?? []).join('\n'), /comprehension-required.*0x7777.*RFC 8489 §14/, why);
  });

  test('a server whose OTHER-ADDRESS answers CHANGE-REQUEST from the wrong source gets filtering "unknown", not endpoint-independent', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const hostile = hostileOf('falseRfc5780');
    const { report } = await diagnoseIn(topology('falseRfc5780').client, [hostile.server]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.ok(changeFlagsSeen(hostile).some((f) => f !== 0), `no CHANGE-REQUEST was sent: nothing was tested\n${hostile.process.stdout}`);
    assert.equal(report.publicAddress?.address, INTERNET.router, why);
    assert.notEqual(report.nat.filtering, 'endpoint-independent', why);
    assert.equal(report.nat.filtering, 'unknown', why);
    assert.ok(!['full-cone', 'restricted-cone', 'port-restricted-cone'].includes(report.nat.type), why);
  });

  test('a false RFC 5780 server that answers first does not change what a good server proves (port-restricted cone)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const hostile = hostileOf('falseRfc5780BesideGood');
    const { report } = await diagnoseIn(topology('falseRfc5780BesideGood').client, [hostile.server, `${STUN_PRIMARY}:3478`]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} servers ${JSON.stringify(report.servers)}`);
    assert.ok(hostile.requestCount() > 0, 'the hostile responder was never asked');
    assert.ok(changeFlagsSeen(hostile).some((f) => f !== 0), 'the false server was not chosen for the behaviour tests: the race was not won');
    assert.equal(report.publicAddress?.address, INTERNET.router, why);
    assert.equal(report.nat.mapping, 'endpoint-independent', why);
    assert.equal(report.nat.filtering, 'address-and-port-dependent', why);
    assert.equal(report.nat.type, 'port-restricted-cone', why);
    assert.equal(report.servers.find((s) => s.server === `${STUN_PRIMARY}:3478`)?.rfc5780, true, why);
  });
});

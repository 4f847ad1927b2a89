// Never guess, part two: a real coturn (RFC 5780, two addresses) whose answers from one of its
// address/port pairs are dropped by nftables in the server's own namespace, as public servers
// behind their own firewalls do. Silence from a pair that never proved it can reach us must give
// `unknown` with the reason in nat.notes — never a filtering verdict — and the next RFC 5780 server
// must be tried. Where the remaining answers prove a behaviour, the verdict is the true one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { assertCliBuilt, diagnoseIn } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, STUN_ALTERNATE, STUN_PRIMARY, type NatBehavior, type NatTopology } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver']);
const TEST_TIMEOUT_MS = 40_000;
const SECOND_PRIMARY = '203.0.113.12';
const SECOND_ALTERNATE = '203.0.113.13';

/** Which of coturn's outgoing sources the server's firewall drops. */
type Drop = 'alternate-port' | 'alternate-ip' | 'primary-ip-alternate-port';

function dropRules(drop: Drop): string {
  const rules = {
    // The alternate port (3479) on both IPs: test II's and test III's answers never leave.
    'alternate-port': [`ip saddr { ${STUN_PRIMARY}, ${STUN_ALTERNATE} } udp sport 3479 drop`],
    // Everything from the alternate IP: test II's answer and both mapping tests.
    'alternate-ip': [`ip saddr ${STUN_ALTERNATE} meta l4proto udp drop`],
    // Only the primary IP's alternate port: test III's answer.
    'primary-ip-alternate-port': [`ip saddr ${STUN_PRIMARY} udp sport 3479 drop`],
  }[drop];
  return `table ip serverfw {\n  chain out {\n    type filter hook output priority 0; policy accept;\n    ${rules.join('\n    ')}\n  }\n}\n`;
}

interface Case {
  name: string;
  behavior: NatBehavior;
  drop: Drop;
  /** A second, complete RFC 5780 server on two more addresses. */
  second?: boolean;
}

const CASES = {
  openAltPort: { name: 'no NAT, alternate port silent', behavior: 'none', drop: 'alternate-port' },
  openAltIp: { name: 'no NAT, alternate IP silent', behavior: 'none', drop: 'alternate-ip' },
  fullConeAltPort: { name: 'full cone, alternate port silent', behavior: 'full-cone', drop: 'alternate-port' },
  fullConePrimaryAltPort: { name: 'full cone, primary IP alternate port silent', behavior: 'full-cone', drop: 'primary-ip-alternate-port' },
  portRestrictedPrimaryAltPort: { name: 'port-restricted cone, primary IP alternate port silent', behavior: 'port-restricted-cone', drop: 'primary-ip-alternate-port' },
  restrictedAltPortWithSecond: { name: 'restricted cone, alternate port silent, a second good server', behavior: 'restricted-cone', drop: 'alternate-port', second: true },
} as const satisfies Record<string, Case>;
type CaseName = keyof typeof CASES;

function summary(report: Report): string {
  return JSON.stringify({ servers: report.servers, nat: report.nat }, null, 1);
}

describe('RFC 5780 servers with one silent address/port pair', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  const topologies = new Map<CaseName, NatTopology>();
  after(() => lab?.close());

  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    const owned = (lab = new Lab());
    await Promise.all(
      (Object.entries(CASES) as Array<[CaseName, Case]>).map(async ([key, c]) => {
        const t = await buildNatTopology(owned, { behavior: c.behavior });
        await startCoturn(t.publicNs, { addresses: t.serverAddresses });
        if (c.second) {
          for (const a of [SECOND_PRIMARY, SECOND_ALTERNATE]) await t.addPublicAddress(a);
          await startCoturn(t.publicNs, { addresses: [SECOND_PRIMARY, SECOND_ALTERNATE] });
        }
        await t.publicNs.nft(dropRules(c.drop));
        topologies.set(key, t);
      }),
    );
  });

  const diagnose = async (key: CaseName, servers: readonly string[] = [`${STUN_PRIMARY}:3478`]): Promise<Report> => {
    const t = topologies.get(key);
    assert.ok(t, `topology ${key} was not built`);
    return (await diagnoseIn(t.client, servers)).report;
  };

  test('no NAT and a silent alternate port: filtering unknown with the reason, never "symmetric UDP firewall"', { timeout: TEST_TIMEOUT_MS }, async () => {
    const report = await diagnose('openAltPort');
    const why = summary(report);
    assert.equal(report.nat.mapping, 'none', why);
    assert.equal(report.nat.filtering, 'unknown', why);
    assert.equal(report.nat.type, 'unknown', why);
    assert.match((report.nat.notes ?? []).join('\n'), /alternate port/, why);
    assert.equal(report.servers[0]?.rfc5780, false, why);
  });

  test('no NAT and a silent alternate IP: filtering unknown, the mapping still proven absent', { timeout: TEST_TIMEOUT_MS }, async () => {
    const report = await diagnose('openAltIp');
    const why = summary(report);
    assert.equal(report.nat.mapping, 'none', why);
    assert.equal(report.nat.filtering, 'unknown', why);
    assert.notEqual(report.nat.type, 'symmetric-udp-firewall', why);
    assert.match((report.nat.notes ?? []).join('\n'), /never answered/, why);
  });

  test('full cone and a silent alternate port: mapping proven by the alternate IP, filtering unknown', { timeout: TEST_TIMEOUT_MS }, async () => {
    const report = await diagnose('fullConeAltPort');
    const why = summary(report);
    assert.equal(report.nat.mapping, 'endpoint-independent', why);
    assert.equal(report.nat.filtering, 'unknown', why);
    assert.equal(report.nat.type, 'unknown', why);
  });

  test('full cone with only the primary IP’s alternate port silent: the answer from the other pair still proves full cone', { timeout: TEST_TIMEOUT_MS }, async () => {
    const report = await diagnose('fullConePrimaryAltPort');
    const why = summary(report);
    assert.equal(report.nat.filtering, 'endpoint-independent', why);
    assert.equal(report.nat.type, 'full-cone', why);
  });

  test('port-restricted cone with the primary IP’s alternate port silent: not "port-restricted" by guess, unknown', { timeout: TEST_TIMEOUT_MS }, async () => {
    const report = await diagnose('portRestrictedPrimaryAltPort');
    const why = summary(report);
    assert.equal(report.nat.mapping, 'endpoint-independent', why);
    assert.equal(report.nat.filtering, 'unknown', why);
    assert.match((report.nat.notes ?? []).join('\n'), /primary address never answered from its alternate port/, why);
  });

  test('a refuted server hands the tests to the next RFC 5780 server, whose verdict stands', { timeout: TEST_TIMEOUT_MS }, async () => {
    const report = await diagnose('restrictedAltPortWithSecond', [`${STUN_PRIMARY}:3478`, `${SECOND_PRIMARY}:3478`]);
    const why = summary(report);
    assert.equal(report.nat.mapping, 'endpoint-independent', why);
    assert.equal(report.nat.filtering, 'address-dependent', why);
    assert.equal(report.nat.type, 'restricted-cone', why);
    assert.equal(report.servers.find((s) => s.server === `${STUN_PRIMARY}:3478`)?.rfc5780, false, why);
    assert.match(report.servers.find((s) => s.server === `${STUN_PRIMARY}:3478`)?.error ?? '', /never answered/, why);
    assert.equal(report.servers.find((s) => s.server === `${SECOND_PRIMARY}:3478`)?.rfc5780, true, why);
  });
});

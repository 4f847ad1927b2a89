// The NAT engine over IPv6 (no NAT66, as at home): an IPv6 STUN server (coturn on two IPv6
// addresses, RFC 5780) seen from a dual-stack client whose router either lets IPv6 through or
// runs the usual stateful IPv6 firewall next to its IPv4 NAT.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { assertCliBuilt, diagnoseIn } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, INTERNET, LAN6, STUN6_PRIMARY, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver']);
const TEST_TIMEOUT_MS = 40_000;
const STUN6 = `[${STUN6_PRIMARY}]:3478`;

function summary(report: Report): string {
  return JSON.stringify({ durationMs: report.durationMs, servers: report.servers, publicAddress: report.publicAddress, nat: report.nat }, null, 1);
}

describe('NAT behaviour discovery over IPv6 (coturn on two IPv6 addresses)', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let open: NatTopology | undefined; // router forwards IPv6 without filtering
  let home: NatTopology | undefined; // IPv4 port-restricted NAT + stateful IPv6 firewall
  after(() => lab?.close());

  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    const owned = (lab = new Lab());
    const build = async (behavior: 'none' | 'port-restricted-cone'): Promise<NatTopology> => {
      const t = await buildNatTopology(owned, { behavior, ipv6: true });
      assert.ok(t.serverAddresses6);
      await Promise.all([startCoturn(t.publicNs, { addresses: t.serverAddresses6 }), startCoturn(t.publicNs, { addresses: t.serverAddresses })]);
      return t;
    };
    [open, home] = await Promise.all([build('none'), build('port-restricted-cone')]);
  });

  test('an IPv6 client without NAT or filtering is reported as open internet at its own IPv6 address', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(open);
    const { report } = await diagnoseIn(open.client, [STUN6]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.equal(report.publicAddress?.address, LAN6.client, why);
    assert.equal(report.servers[0]?.rfc5780, true, why);
    assert.equal(report.nat.mapping, 'none', why);
    assert.equal(report.nat.filtering, 'endpoint-independent', why);
    assert.equal(report.nat.type, 'open-internet', why);
  });

  test('IPv6 behind a home router’s stateful firewall is reported as symmetric UDP firewall', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(home);
    const { report } = await diagnoseIn(home.client, [STUN6]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.equal(report.publicAddress?.address, LAN6.client, why);
    assert.equal(report.nat.mapping, 'none', why);
    assert.equal(report.nat.filtering, 'address-and-port-dependent', why);
    assert.equal(report.nat.type, 'symmetric-udp-firewall', why);
  });

  test('with IPv6 and IPv4 servers, the IPv4 NAT is the one reported (port-restricted cone)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(home);
    const { report } = await diagnoseIn(home.client, [STUN6, `${STUN_PRIMARY}:3478`]);
    const why = summary(report);
    t.diagnostic(`nat ${JSON.stringify(report.nat)} publicAddress ${JSON.stringify(report.publicAddress)} durationMs ${report.durationMs}`);
    assert.equal(report.publicAddress?.address, INTERNET.router, why);
    assert.deepEqual(report.servers.map((s) => s.rfc5780), [true, true], why);
    assert.equal(report.nat.mapping, 'endpoint-independent', why);
    assert.equal(report.nat.filtering, 'address-and-port-dependent', why);
    assert.equal(report.nat.type, 'port-restricted-cone', why);
  });
});

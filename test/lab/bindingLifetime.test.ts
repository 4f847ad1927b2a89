// Binding lifetime (RFC 5780 §4.6, RESPONSE-PORT) through a real NAT whose idle-UDP timeout the
// test sets (conntrack in the router namespace): the measured value must land within the ±5 s the
// method promises. A classic RFC 3489 server (Debian's stund) has no RESPONSE-PORT: say so.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { assertCliBuilt, diagnoseIn } from './cliRunner';
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

// Hairpinning (RFC 5780 §4.5, RFC 4787 REQ-9) through real routers: one that loops packets for its
// own public address back to the LAN, one that does not. The test runs only when asked
// (`--hairpinning`): some firewalls take a packet to one's own public address for a LAND attack.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertCliBuilt, diagnoseIn } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, hairpinnedStunMessages, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver']);
const STUN = `${STUN_PRIMARY}:3478`;
const TEST_TIMEOUT_MS = 40_000;

describe('hairpinning through real routers', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let hairpinning: NatTopology | undefined;
  let plain: NatTopology | undefined;
  after(() => lab?.close());

  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    const owned = (lab = new Lab());
    [hairpinning, plain] = await Promise.all(
      [true, false].map(async (loops) => {
        const t = await buildNatTopology(owned, { behavior: 'port-restricted-cone', hairpinning: loops });
        await startCoturn(t.publicNs, { addresses: t.serverAddresses });
        return t;
      }),
    );
  });

  test('without --hairpinning no STUN request goes to our own public address and hairpinning is null', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(hairpinning);
    const { report } = await diagnoseIn(hairpinning.client, [STUN]);
    assert.equal(report.nat.hairpinning, null, JSON.stringify(report.nat));
    assert.equal(await hairpinnedStunMessages(hairpinning.router), 0, 'a STUN request was hairpinned although nobody asked');
  });

  test('a router that loops its public address back to the LAN is reported as hairpinning', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(hairpinning);
    const { report } = await diagnoseIn(hairpinning.client, [STUN], { extraArgs: ['--hairpinning'] });
    assert.equal(report.nat.hairpinning, true, JSON.stringify(report.nat));
    assert.ok((await hairpinnedStunMessages(hairpinning.router)) > 0, 'the router never looped a STUN request back');
    assert.equal(report.nat.type, 'port-restricted-cone', JSON.stringify(report.nat));
  });

  test('a router without hairpin rules is reported as not hairpinning', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(plain);
    const { report } = await diagnoseIn(plain.client, [STUN], { extraArgs: ['--hairpinning'] });
    assert.equal(report.nat.hairpinning, false, JSON.stringify(report.nat));
    assert.equal(report.nat.type, 'port-restricted-cone', JSON.stringify(report.nat));
  });
});

// The pair test under attack: a third namespace on the internet bridge sprays forged and replayed
// checks at the punching port, and two home LANs with the same addresses make each peer's host
// candidate its own. None of it may ever produce `direct`.
// - A victim behind a full-cone router (so every stranger's packet reaches it) answers an offer
//   whose only candidate is the attacker: the attacker answers each check (no integrity, its own
//   key, the check reflected, a forged request back) and records the checks; then, in a second
//   session, it replays the first session's checks byte for byte.
// - A real pair (symmetric × full cone: direct) runs while the attacker sprays: direct, but only
//   by the real peer's address.
// - Two symmetric NATs (relay) whose clients both bind port 40000 at 192.168.1.2: each side's
//   checks to the peer's host candidate come back to itself, and must not count.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodePairToken, newSecret, newUfrag } from '../../src/core/p2p/pairToken';
import type { PeerNatSummary } from '../../src/core/p2p/pairPrediction';
import { CLI_PATH, REPO_ROOT, assertCliBuilt } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { STUN_PRIMARY } from './natTopology';
import { Lab, type LabProcess, type Netns } from './netns';
import { ATTACKER, buildPairTopology, HOME_LAN, WAN_A, WAN_B, type PairTopology } from './pairTopology';
import { runPair, type PairResultJson } from './pairRunner';

const gate = labGate(['turnserver']);
const STUN = `${STUN_PRIMARY}:3478`;
const ATTACKER_PORT = 40000;
const VICTIM_PORT = 41000;
const ATTACKER_SCRIPT = resolve(REPO_ROOT, 'out/test/lab/peers/pairAttacker.js');

/** An offer that no real peer stands behind: its one candidate is the attacker. */
function offerFromAttacker(): string {
  const summary: PeerNatSummary = { udp: 'ok', mapping: 'endpoint-independent', filtering: 'endpoint-independent', type: 'full-cone', portAllocation: { pattern: 'preserving', delta: null }, cgnat: 'no', hairpinning: null, publicAddress: ATTACKER };
  return encodePairToken({
    role: 'offer', expiresAt: Math.floor(Date.now() / 1000) + 600, secret: newSecret(), ufrag: newUfrag(), summary,
    candidates: [{ kind: 'srflx', address: ATTACKER, port: ATTACKER_PORT }],
  });
}

function startAttacker(ns: Netns, config: Record<string, unknown>): LabProcess {
  return ns.spawn(process.execPath, [ATTACKER_SCRIPT, JSON.stringify({ listenPort: ATTACKER_PORT, maxPackets: 400, ...config })]);
}

async function attackerCounts(proc: LabProcess): Promise<{ received: number; sent: number; recorded: number }> {
  const line = (await proc.waitForOutput(/^(\{"received".*\})$/m, 20_000))[1] as string;
  await proc.exited;
  return JSON.parse(line) as { received: number; sent: number; recorded: number };
}

/** `pair answer TOKEN` in `ns`; the result JSON after the token line. */
async function answerIn(ns: Netns, offer: string, timeoutMs: number, extra: readonly string[] = []): Promise<{ result: PairResultJson; stdout: string; stderr: string }> {
  const run = await ns.run(process.execPath, [CLI_PATH, 'pair', 'answer', offer, '--stun', STUN, '--json', '--timeout', String(timeoutMs), ...extra], { timeoutMs: timeoutMs + 20_000, cwd: REPO_ROOT });
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const [tokenLine, ...rest] = run.stdout.split('\n');
  assert.match(tokenLine ?? '', /^ndpair1:/);
  return { result: JSON.parse(rest.join('\n')) as PairResultJson, stdout: run.stdout, stderr: run.stderr };
}

describe('pair test: forged and replayed checks, colliding host candidates', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let sprayed: PairTopology;
  let collision: PairTopology;
  after(() => lab?.close());
  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    const owned = (lab = new Lab());
    [sprayed, collision] = await Promise.all([
      buildPairTopology(owned, { a: 'symmetric', b: 'full-cone', attacker: true }),
      buildPairTopology(owned, { a: 'symmetric', b: 'symmetric' }),
    ]);
    await Promise.all([startCoturn(sprayed.internet, { addresses: sprayed.serverAddresses }), startCoturn(collision.internet, { addresses: collision.serverAddresses })]);
  });

  test('a stranger answering every check, forging requests and reflecting ours, then replaying a recorded session, never makes it direct', { timeout: 90_000 }, async (t) => {
    const attackerNs = sprayed.attacker as Netns;
    const recording = resolve((lab as Lab).tempDir('replay'), 'session1.hex');
    const victimPublic = [{ address: WAN_B, port: VICTIM_PORT }];

    const first = startAttacker(attackerNs, { targets: victimPublic, durationMs: 4000, recordFile: recording });
    const session1 = await answerIn(sprayed.b.client, offerFromAttacker(), 2500, ['--port', String(VICTIM_PORT)]);
    const counts1 = await attackerCounts(first);
    t.diagnostic(`session 1: attacker ${JSON.stringify(counts1)}; victim ${session1.result.detail}`);
    assert.ok(counts1.recorded > 0, 'the victim’s checks reached the attacker and were recorded');
    assert.ok(counts1.sent > 20, 'the attacker answered and sprayed');
    assert.equal(session1.result.result, 'failed', session1.result.detail);
    assert.equal(session1.result.path, null);
    assert.match(session1.result.detail, /Ignored \d+ packet/, 'the forged packets arrived and were refused');

    const second = startAttacker(attackerNs, { targets: victimPublic, durationMs: 4000, replayFile: recording });
    const session2 = await answerIn(sprayed.b.client, offerFromAttacker(), 2500, ['--port', String(VICTIM_PORT)]);
    const counts2 = await attackerCounts(second);
    t.diagnostic(`session 2 (replay): attacker ${JSON.stringify(counts2)}; victim ${session2.result.detail}`);
    assert.equal(session2.result.result, 'failed', session2.result.detail);
    assert.match(session2.result.detail, /a request for another session|our own check, looped back/, 'the replayed checks of session 1 were refused');
  });

  test('a real pair under spray connects only by the real peer’s address', { timeout: 90_000 }, async (t) => {
    const attackerNs = sprayed.attacker as Netns;
    const spray = startAttacker(attackerNs, { targets: [{ address: WAN_B, port: VICTIM_PORT }], durationMs: 5000 });
    const run = await runPair(sprayed.a.client, sprayed.b.client, { stun: STUN, offerTimeoutMs: 3000, answerTimeoutMs: 5000, answerArgs: ['--port', String(VICTIM_PORT)] });
    const counts = await attackerCounts(spray);
    const why = `${run.offer.stdout}\n${run.answer.stdout}\n${run.answer.stderr.slice(-1000)}`;
    t.diagnostic(`attacker ${JSON.stringify(counts)}; answer: ${run.answer.result?.detail}`);
    assert.ok(counts.sent > 20, 'the attacker sprayed');
    assert.equal(run.offer.result?.result, 'direct', why);
    assert.equal(run.answer.result?.result, 'direct', why);
    assert.equal(run.offer.result?.path?.remote, `${WAN_B}:${VICTIM_PORT}`, why);
    assert.equal(run.answer.result?.path?.remote.split(':')[0], WAN_A, why);
  });

  test('two LANs with the same addresses and ports: each side’s own checks come back to it and never count', { timeout: 90_000 }, async (t) => {
    const run = await runPair(collision.a.client, collision.b.client, {
      stun: STUN, offerTimeoutMs: 2500, answerTimeoutMs: 4000, offerArgs: ['--port', '40000'], answerArgs: ['--port', '40000'],
    });
    const why = `${run.offer.stdout}\n${run.answer.stdout}`;
    for (const side of [run.offer, run.answer]) {
      t.diagnostic(side.result?.detail ?? side.stderr);
      assert.equal(side.result?.result, 'failed', why);
      assert.ok(side.result?.detail.includes(`host ${HOME_LAN.client}:40000`), `the colliding host candidate was tried\n${why}`);
      assert.match(side.result?.detail ?? '', /our own check, looped back/, why);
    }
  });
});

// The pair test on real NATs: two clients on two home LANs (both 192.168.1.0/24, both at
// 192.168.1.2), each behind its own nftables router, coturn between them. For all 15 unordered
// combinations of five router behaviours, the real CLI runs `pair offer` on one side and
// `pair answer` on the other, the answer pasted back as a person would; then a standard ICE agent
// (aioice, Debian python3-aioice) runs through the same routers. Each cell checks:
// - the prediction both sides print is the verdict of the table below (RFC 4787 reasoning, kept
//   here independently of the product's model);
// - the live result agrees with it: `direct` exactly where the verdict is not `relay`, by a path
//   through the peer's public address — never the colliding host candidate;
// - where no port prediction is involved, the live result is what ICE gets; where it is, ICE
//   fails and the pair test does not (that is what prediction is for);
// - each side stays within its packet budget, and nothing is left behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { assertCliBuilt } from './cliRunner';
import { startCoturn } from './coturn';
import { isCi, labGate } from './labEnv';
import { STUN_PRIMARY, type NattingBehavior } from './natTopology';
import { Lab } from './netns';
import { buildPairTopology, HOME_LAN, type PairTopology } from './pairTopology';
import { runIce, runPair, SYSTEM_PYTHON, type PairRun } from './pairRunner';

const gate = labGate(['turnserver']);
const aioice = spawnSync(SYSTEM_PYTHON, ['-c', 'import aioice'], { stdio: 'ignore' }).status === 0;
const skip = gate.skip || (!aioice && !isCi() ? 'python3-aioice is not installed: run scripts/setup.sh as root' : false);

const STUN = `${STUN_PRIMARY}:3478`;
const OFFER_TIMEOUT_MS = 3000;
const ANSWER_TIMEOUT_MS = 6000;
const ICE_TIMEOUT_S = 6;
/** README.md, "Direct connections between two networks": at most 300 packets per side. */
const PACKET_LIMIT = 300;

const BEHAVIOURS: readonly NattingBehavior[] = ['full-cone', 'restricted-cone', 'port-restricted-cone', 'symmetric', 'symmetric-sequential'];
type Verdict = 'direct' | 'direct-with-port-prediction' | 'relay';

/**
 * The verdict for two behaviours. A packet gets into a NAT when its sender knows a port of it
 * that is open for it: endpoint-independent mapping (the STUN port) or predictable allocation
 * (sequential), and a filter that admits the sender — any (full cone), by address (restricted
 * cone), or by address and port only when the sender's own port is known too.
 */
function expectedVerdict(x: NattingBehavior, y: NattingBehavior): Verdict {
  const cones = ['full-cone', 'restricted-cone', 'port-restricted-cone'];
  const open = ['full-cone', 'restricted-cone'];
  if (cones.includes(x) && cones.includes(y)) return 'direct';
  if (open.includes(x) || open.includes(y)) return 'direct';
  if (x === 'symmetric' || y === 'symmetric') return 'relay';
  return 'direct-with-port-prediction'; // sequential against port-restricted or sequential
}

const CELLS: Array<[NattingBehavior, NattingBehavior]> = [];
for (let i = 0; i < BEHAVIOURS.length; i++) for (let j = i; j < BEHAVIOURS.length; j++) CELLS.push([BEHAVIOURS[i] as NattingBehavior, BEHAVIOURS[j] as NattingBehavior]);

function describeRun(run: PairRun): string {
  return (
    `offer (exit ${run.offer.code}):\n${run.offer.stdout}\n${run.offer.stderr.slice(-1500)}\n` +
    `answer (exit ${run.answer.code}):\n${run.answer.stdout}\n${run.answer.stderr.slice(-1500)}`
  );
}

describe('pair test between two NATs: prediction, live result and a standard ICE agent agree (15 cells)', { skip }, () => {
  const labs: Lab[] = [];
  before(() => {
    gate.assertReady();
    assertCliBuilt();
    assert.ok(aioice, 'python3-aioice must be installed (scripts/setup.sh)');
  });
  after(async () => {
    await Promise.all(labs.map((l) => l.close()));
  });

  for (const [x, y] of CELLS) {
    const verdict = expectedVerdict(x, y);
    test(`${x} (offer) × ${y} (answer) → ${verdict}`, { timeout: 90_000 }, async (t) => {
      const lab = new Lab();
      labs.push(lab);
      try {
        const topology: PairTopology = await buildPairTopology(lab, { a: x, b: y });
        await startCoturn(topology.internet, { addresses: topology.serverAddresses });
        const run = await runPair(topology.a.client, topology.b.client, { stun: STUN, offerTimeoutMs: OFFER_TIMEOUT_MS, answerTimeoutMs: ANSWER_TIMEOUT_MS });
        const why = describeRun(run);
        const sides = [
          { name: 'offer', side: run.offer, peer: topology.b },
          { name: 'answer', side: run.answer, peer: topology.a },
        ] as const;
        for (const { name, side, peer } of sides) {
          assert.equal(side.code, 0, `${name} exit status\n${why}`);
          const r = side.result;
          assert.ok(r, `${name} printed no result JSON\n${why}`);
          assert.equal(r.schemaVersion, 1);
          assert.equal(r.prediction.verdict, verdict, `${name}'s prediction\n${why}`);
          assert.ok(r.prediction.confidence > 0 && r.prediction.confidence <= 1, why);
          assert.equal(r.result, verdict === 'relay' ? 'failed' : 'direct', `${name}'s live result must match the prediction\n${why}`);
          if (r.result === 'direct') {
            assert.ok(r.path, why);
            // Through the peer's router: the host candidate 192.168.1.2 is our own address too.
            assert.equal(r.path.remote.split(':')[0], peer.publicAddress, `${name} reached the peer by its public address\n${why}`);
            assert.notEqual(r.path.remote.split(':')[0], HOME_LAN.client, why);
            assert.ok(r.rttMs !== null && r.rttMs >= 0, why);
          } else {
            assert.equal(r.path, null, why);
            assert.match(r.detail, /Tried \d+ candidate/, why);
          }
          assert.ok((r.packetsSent ?? Infinity) <= PACKET_LIMIT, `${name} sent ${r.packetsSent} packets\n${why}`);
        }

        const ice = await runIce(topology.a.client, topology.b.client, STUN_PRIMARY, 3478, ICE_TIMEOUT_S);
        const iceConnected = ice.controlling.result === 'connected' && ice.controlled.result === 'connected';
        const ours = run.offer.result?.result === 'direct';
        if (verdict === 'direct-with-port-prediction') {
          assert.equal(iceConnected, false, `ICE without port prediction should fail here: ${JSON.stringify(ice)}`);
        } else {
          assert.equal(ours, iceConnected, `the pair test and a standard ICE agent disagree: ICE ${JSON.stringify(ice)}\n${why}`);
        }
        const line = `${x} × ${y}: predicted ${verdict}, live ${run.offer.result?.result}/${run.answer.result?.result} (offer ${run.offer.result?.durationMs} ms, answer ${run.answer.result?.durationMs} ms, ${run.offer.result?.packetsSent}+${run.answer.result?.packetsSent} packets), ICE ${iceConnected ? 'connected' : 'failed'}`;
        t.diagnostic(line);
      } finally {
        await lab.close();
      }
    });
  }

  test('no namespace, process or socket of the cells is left behind', () => {
    const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    const ours = listed.split('\n').filter((l) => l.startsWith(`nd${process.pid}-`));
    assert.deepEqual(ours, [], 'every cell lab removed its namespaces');
  });
});

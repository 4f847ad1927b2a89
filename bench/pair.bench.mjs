// Benchmark of the live pair test on the two-NAT lab (needs root; see test/lab/pairTopology.ts).
// Not a test: it prints figures, and a ratio against a standard ICE agent (aioice) measured in the
// same run through the same routers.
//   1. Two endpoint-independent NATs (port-restricted cone × port-restricted cone): time from both
//      sides having started (the answer pasted into the offer) until each side has its
//      authenticated round trip; target 3 × RTT + 100 ms. aioice's time from candidates exchanged
//      to connected, for comparison.
//   2. Sequential symmetric with port prediction (× port-restricted, × sequential): target 1 s.
//   3. All 15 cells once: prediction = live result, and nothing left behind (namespaces,
//      processes).
// Raw results go to bench/results/pair-<time>.json (gitignored).
//
// Usage: npm run build && npm run compile-tests && sudo node bench/pair.bench.mjs [--runs 7]
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const i = process.argv.indexOf('--runs');
const RUNS = i >= 0 ? Number(process.argv[i + 1]) : 7;
const labDir = join(root, 'out/test/lab');

const { labAvailability } = require(join(labDir, 'labEnv.js'));
const { Lab } = require(join(labDir, 'netns.js'));
const { STUN_PRIMARY } = require(join(labDir, 'natTopology.js'));
const { startCoturn } = require(join(labDir, 'coturn.js'));
const { buildPairTopology } = require(join(labDir, 'pairTopology.js'));
const { runPair, runIce } = require(join(labDir, 'pairRunner.js'));

const availability = labAvailability(['turnserver']);
if (!availability.runnable) {
  console.error(`bench: the pair lab cannot run here: ${availability.problems.join('; ')}. Run it as root after scripts/setup.sh.`);
  process.exit(1);
}
const STUN = `${STUN_PRIMARY}:3478`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Milliseconds from both sides running until the later side's round trip. */
function timeToDirect(run) {
  const offer = run.offer.result;
  const answer = run.answer.result;
  if (offer?.result !== 'direct' || answer?.result !== 'direct') return null;
  // The answer's checks started when its token line appeared; the offer's when the answer was written to it.
  const answerAt = run.answer.tokenAt + answer.durationMs - run.bothStartedAt;
  return { ms: Math.max(offer.durationMs, answerAt), rttMs: Math.max(offer.rttMs ?? 0, answer.rttMs ?? 0) };
}

/** aioice: the later side's connect() time, from having the peer's candidates to a nominated pair. */
async function iceTime(topology) {
  const ice = await runIce(topology.a.client, topology.b.client, STUN_PRIMARY, 3478, 6);
  const connected = ice.controlling.result === 'connected' && ice.controlled.result === 'connected';
  return { connected, ms: connected ? Math.max(ice.controlling.ms, ice.controlled.ms) : null };
}

async function cell(a, b, runs, withIce) {
  const lab = new Lab();
  try {
    const topology = await buildPairTopology(lab, { a, b });
    await startCoturn(topology.internet, { addresses: topology.serverAddresses });
    const rows = [];
    for (let r = 0; r < runs; r++) {
      const run = await runPair(topology.a.client, topology.b.client, { stun: STUN, offerTimeoutMs: 3000, answerTimeoutMs: 6000 });
      const t = timeToDirect(run);
      const ice = withIce ? await iceTime(topology) : null;
      rows.push({ verdict: run.offer.result?.prediction.verdict, offer: run.offer.result?.result, answer: run.answer.result?.result, ...(t ?? {}), packets: [run.offer.result?.packetsSent, run.answer.result?.packetsSent], ice });
    }
    return rows;
  } finally {
    await lab.close();
  }
}

const results = { when: new Date().toISOString(), machine: { cpus: cpus().length, kernel: release(), node: process.version }, note: 'shared machine: other sessions ran tests at the same time', cells: {} };

console.log(`pair bench: ${RUNS} runs per timed cell (shared 2-core machine)\n`);
const eim = await cell('port-restricted-cone', 'port-restricted-cone', RUNS, true);
results.cells.eim = eim;
const direct = eim.filter((r) => r.ms !== undefined);
const rtt = median(direct.map((r) => r.rttMs));
const ours = median(direct.map((r) => r.ms));
const okRuns = direct.filter((r) => r.ms <= 3 * r.rttMs + 100).length;
// Both figures start when each side has the other's candidates; aioice paces its checks 20 ms apart (RFC 8445 Ta) and nominates after.
const iceMs = median(eim.filter((r) => r.ice?.connected).map((r) => r.ice.ms));
console.log(`1. EIM × EIM: direct in ${direct.length}/${eim.length} runs; median ${ours.toFixed(1)} ms after both started (peer RTT ${rtt.toFixed(2)} ms; target 3 × RTT + 100 ms = ${(3 * rtt + 100).toFixed(1)} ms, met in ${okRuns}/${direct.length});`);
console.log(`   aioice (checks + nomination) ${iceMs.toFixed(1)} ms median in the same run; ours / aioice ${(ours / iceMs).toFixed(3)}×`);

for (const [name, a, b] of [['sequential × port-restricted', 'symmetric-sequential', 'port-restricted-cone'], ['sequential × sequential', 'symmetric-sequential', 'symmetric-sequential']]) {
  const rows = await cell(a, b, RUNS, false);
  results.cells[name] = rows;
  const d = rows.filter((r) => r.ms !== undefined);
  console.log(`2. ${name}: direct with port prediction in ${d.length}/${rows.length} runs; median ${median(d.map((r) => r.ms)).toFixed(1)} ms, worst ${Math.max(...d.map((r) => r.ms)).toFixed(1)} ms (target ≤ 1000 ms)`);
}

const BEHAVIOURS = ['full-cone', 'restricted-cone', 'port-restricted-cone', 'symmetric', 'symmetric-sequential'];
let agree = 0;
let cells = 0;
for (let x = 0; x < BEHAVIOURS.length; x++) {
  for (let y = x; y < BEHAVIOURS.length; y++) {
    const [row] = await cell(BEHAVIOURS[x], BEHAVIOURS[y], 1, false);
    cells++;
    const expectDirect = row.verdict !== 'relay';
    if ((row.offer === 'direct') === expectDirect && (row.answer === 'direct') === expectDirect) agree++;
    results.cells[`${BEHAVIOURS[x]} × ${BEHAVIOURS[y]}`] = row;
  }
}
const leftovers = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.startsWith(`nd${process.pid}-`));
console.log(`3. prediction = live result in ${agree}/${cells} cells; namespaces left behind: ${leftovers.length}`);

mkdirSync(join(here, 'results'), { recursive: true });
const file = join(here, 'results', `pair-${results.when.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`\nraw results: ${file}`);

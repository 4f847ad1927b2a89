// Benchmark of `nat-doctor diagnose` on the NAT lab (needs root; see test/lab/). Not a test: it
// prints figures and ratios against reference clients measured in the same run, on the same NAT:
//   1. port-restricted cone NAT: our full `diagnose` vs coturn's `turnutils_natdiscovery -m -f` vs
//      Debian's `stun` (RFC 3489), alternating runs, medians, ratios, verdict agreement;
//   2. UDP blocked (the server's TCP port answering): time to the verdict (report durationMs);
//      a network where nothing answers: time to "offline";
//   3. 10 % UDP loss (nftables numgen, each direction): share of runs with the right NAT type;
//   4. path MTU on a 1400-byte WAN, with ICMP "fragmentation needed" delivered and dropped (a black
//      hole): bytes within 8 of 1400 and the black hole told apart, every run; and what measuring
//      the path MTU and connectivity adds to a full diagnosis (`--no-path-mtu` alongside).
// Raw results go to bench/results/diagnose-<time>.json (gitignored).
//
// Usage: npm run bench [-- --runs 7 --loss-runs 20 --loss 10 --peer-loss]
//   (needs `npm run build` and `npm run compile-tests`: the lab is TypeScript under test/lab)
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { benchDir as here, cliPath, intOption as option, median, requireLab, root } from './labBench.mjs';

const RUNS = option('runs', 7);
const LOSS_RUNS = option('loss-runs', 20);
const LOSS_PERCENT = option('loss', 10);
const BLOCKED_RUNS = option('blocked-runs', 5);
const MTU_RUNS = option('mtu-runs', 10);
const PEER_LOSS = process.argv.includes('--peer-loss'); // also run natdiscovery under loss (slow)
const STUN_HOST = '203.0.113.10';
const STUN = `${STUN_HOST}:3478`;
const DIAGNOSE_TIMEOUT_MS = 8000;

const labModule = requireLab(['turnserver', 'turnutils_natdiscovery', 'stun']);
const { Lab } = labModule('netns.js');
const { buildNatTopology } = labModule('natTopology.js');
const { startCoturn } = labModule('coturn.js');

// ---- the three clients, each returning { wallMs, type, detail } ------------------------------

/** RFC 3489 name from natdiscovery's RFC 5780 lines. */
function natdiscoveryType(out) {
  const mapping = /NAT with (.*) Mapping/.exec(out)?.[1];
  const filtering = /NAT with (.*) Filtering/.exec(out)?.[1];
  if (!mapping) return 'udp-blocked-or-unknown';
  if (mapping !== 'Endpoint Independent') return 'symmetric';
  return { 'Endpoint Independent': 'full-cone', 'Address Dependent': 'restricted-cone', 'Address and Port Dependent': 'port-restricted-cone' }[filtering] ?? 'unknown';
}

/** RFC 3489 name from Debian `stun`'s summary line. */
function stunType(out) {
  const line = /Primary: ([^\n\t]*)/.exec(out)?.[1] ?? '';
  if (/^Open/.test(line)) return 'open-internet';
  if (/^Blocked/.test(line)) return 'udp-blocked';
  if (/Dependent Mapping/.test(line)) return 'symmetric';
  if (/Independent Filter/.test(line)) return 'full-cone';
  if (/Address Dependent Filter/.test(line)) return 'restricted-cone';
  if (/Port Dependent Filter/.test(line)) return 'port-restricted-cone';
  if (/[Ff]irewall/.test(line)) return 'symmetric-udp-firewall';
  return 'unknown';
}

const clients = {
  oursNoMtu: (ns) => clients.ours(ns, ['--no-path-mtu']),
  async ours(ns, extraArgs = []) {
    // Spawned (not run) so that the progress lines on stderr can be timed: the moment the CGNAT
    // phase starts is when the NAT verdict (mapping, filtering, type) is already known.
    const started = Date.now();
    const proc = ns.spawn(process.execPath, [cliPath, 'diagnose', '--json', '--no-captive-portal', '--stun', STUN, '--timeout', String(DIAGNOSE_TIMEOUT_MS), ...extraArgs], { cwd: root });
    proc.child.stdin?.end();
    let natVerdictMs = null;
    proc.child.stderr?.on('data', () => {
      if (natVerdictMs === null && /carrier-grade NAT/.test(proc.stderr)) natVerdictMs = Date.now() - started;
    });
    let timer;
    const limit = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), DIAGNOSE_TIMEOUT_MS + 10_000);
    });
    const outcome = await Promise.race([proc.exited, limit]);
    clearTimeout(timer);
    if (outcome === 'timeout') await proc.stop();
    const wallMs = Date.now() - started;
    let report;
    try {
      report = JSON.parse(proc.stdout);
    } catch {
      report = undefined;
    }
    return {
      wallMs,
      natVerdictMs,
      type: report?.nat?.type ?? `error(exit ${proc.exitCode})`,
      reportMs: report?.durationMs ?? null,
      connectivity: report?.connectivity?.state ?? null,
      pathMtu: report?.pathMtu ?? null,
      detail: report ? { mapping: report.nat.mapping, filtering: report.nat.filtering, udp: report.nat.udp } : proc.stderr.slice(-300),
    };
  },
  async natdiscovery(ns) {
    const run = await ns.run('turnutils_natdiscovery', ['-m', '-f', STUN_HOST], { timeoutMs: 60_000 });
    const out = run.stdout + run.stderr;
    return { wallMs: run.durationMs, type: natdiscoveryType(out), detail: out.split('\n').filter((l) => /NAT with/.test(l)).join(' | ') };
  },
  async stun(ns) {
    const run = await ns.run('stun', [STUN_HOST], { timeoutMs: 60_000 });
    return { wallMs: run.durationMs, type: stunType(run.stdout), detail: /Primary: ([^\n\t]*)/.exec(run.stdout)?.[1] ?? run.stdout.slice(-200) };
  },
};

const fmtMs = (ms) => (ms === null ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const ratio = (a, b) => (a === null || b === null || b === 0 ? null : a / b);
const fmtRatio = (r) => (r === null ? '—' : `${r.toFixed(3)}×`);

/** Runs the named clients in rotating order for `rounds` rounds. */
/**
 * Our diagnosis asks the router for a few ICMP answers (traceroute hops, a closed NAT-PMP port);
 * Linux routers send at most a burst of 6 of them per destination, then one a second, and the
 * peers' runs use up that budget too (Debian `stun`'s tests make the lab router answer with ICMP).
 * A user runs one diagnosis now and then: every run here, of every client, starts COOLDOWN_MS
 * after the previous run on that network ended, so each meets a router whose budget has refilled.
 * (A run straight after another can be slower by silent traceroute hops: README, "Benchmarks".)
 */
const COOLDOWN_MS = 4000;
const lastEnd = new Map();
async function cooledDown(ns) {
  const wait = COOLDOWN_MS - (Date.now() - (lastEnd.get(ns) ?? 0));
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

async function alternate(ns, names, rounds, label) {
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      await cooledDown(ns);
      const r = await clients[name](ns);
      lastEnd.set(ns, Date.now());
      results[name].push(r);
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${label}: round ${round + 1}/${rounds} ${name} ${fmtMs(r.wallMs)} ${r.type}`);
    }
  }
  process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${label}: ${rounds} round(s) done\n`);
  return results;
}

// ---- the benchmark --------------------------------------------------------------------------

const lab = new Lab();
const raw = { startedAt: new Date().toISOString(), machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, kernel: release() }, settings: { RUNS, LOSS_RUNS, LOSS_PERCENT, BLOCKED_RUNS, PEER_LOSS } };
let exitCode = 0;
try {
  const [prc, blocked, lossy, dead, pmtud, blackHole] = await Promise.all(
    [
      { behavior: 'port-restricted-cone' },
      { behavior: 'udp-blocked' },
      { behavior: 'port-restricted-cone', udpLossPercent: LOSS_PERCENT },
      { behavior: 'udp-blocked' },
      { behavior: 'port-restricted-cone', wanMtu: 1400 },
      { behavior: 'port-restricted-cone', wanMtu: 1400, pmtuBlackHole: true },
    ].map(async (options) => {
      const t = await buildNatTopology(lab, options);
      await startCoturn(t.publicNs, { addresses: t.serverAddresses });
      return t;
    }),
  );
  // Nothing beyond the router answers, TCP included: "offline", not "UDP blocked".
  await dead.router.nft('table ip dropall {\n  chain everything {\n    type filter hook forward priority -10; policy drop;\n  }\n}\n');

  // 1. Speed and agreement on the port-restricted cone NAT (one warm-up round, not counted).
  await alternate(prc.client, ['ours', 'natdiscovery', 'stun', 'oursNoMtu'], 1, 'warm-up');
  const speed = await alternate(prc.client, ['ours', 'natdiscovery', 'stun', 'oursNoMtu'], RUNS, 'port-restricted NAT');
  raw.portRestricted = speed;

  // 2. UDP blocked.
  const blockedRuns = await alternate(blocked.client, ['ours', 'stun', 'natdiscovery'], BLOCKED_RUNS, 'UDP blocked');
  raw.udpBlocked = blockedRuns;
  const offlineRuns = await alternate(dead.client, ['ours'], BLOCKED_RUNS, 'offline');
  raw.offline = offlineRuns;

  // 4. Path MTU: working discovery and a black hole, alternating.
  const pmtudRuns = [];
  const blackHoleRuns = [];
  for (let i = 0; i < MTU_RUNS; i++) {
    pmtudRuns.push(await clients.ours(pmtud.client));
    blackHoleRuns.push(await clients.ours(blackHole.client));
  }
  raw.pathMtu = { pmtud: pmtudRuns, blackHole: blackHoleRuns };

  // 3. Accuracy under loss.
  const lossNames = PEER_LOSS ? ['ours', 'stun', 'natdiscovery'] : ['ours', 'stun'];
  const lossRuns = await alternate(lossy.client, lossNames, LOSS_RUNS, `${LOSS_PERCENT} % UDP loss`);
  raw.loss = lossRuns;

  // ---- report --------------------------------------------------------------------------------
  const med = (list, key = 'wallMs') => median(list.map((r) => r[key]));
  const oursMed = med(speed.ours);
  const ndMed = med(speed.natdiscovery);
  const stunMed = med(speed.stun);
  const agree = (list, expected) => list.filter((r) => r.type === expected).length;
  const expected = 'port-restricted-cone';
  const accuracy = (list) => (list.length === 0 ? null : (100 * agree(list, expected)) / list.length);

  const rows = [
    ['client', 'median wall', 'min', 'max', `verdict = ${expected}`],
    ...['ours', 'natdiscovery', 'stun'].map((n) => {
      const walls = speed[n].map((r) => r.wallMs);
      return [n === 'ours' ? 'nat-doctor diagnose' : n === 'stun' ? 'stun (Debian)' : 'turnutils_natdiscovery -m -f', fmtMs(median(walls)), fmtMs(Math.min(...walls)), fmtMs(Math.max(...walls)), `${agree(speed[n], expected)}/${speed[n].length}`];
    }),
  ];
  const table = (rs) => {
    const widths = rs[0].map((_, i) => Math.max(...rs.map((r) => String(r[i]).length)));
    return rs.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');
  };

  const summary = {
    portRestricted: {
      medianWallMs: { ours: oursMed, natdiscovery: ndMed, stun: stunMed },
      medianReportMs: med(speed.ours, 'reportMs'),
      oursMedianNatVerdictMs: med(speed.ours, 'natVerdictMs'),
      ratio: { oursOverNatdiscovery: ratio(oursMed, ndMed), oursOverStun: ratio(oursMed, stunMed) },
      verdictsAgree: ['ours', 'natdiscovery', 'stun'].every((n) => agree(speed[n], expected) === speed[n].length),
    },
    overhead: {
      medianReportMs: { full: med(speed.ours, 'reportMs'), withoutPathMtu: med(speed.oursNoMtu, 'reportMs') },
      ratio: ratio(med(speed.ours, 'reportMs'), med(speed.oursNoMtu, 'reportMs')),
    },
    offline: {
      medianReportMs: med(offlineRuns.ours, 'reportMs'),
      maxReportMs: Math.max(...offlineRuns.ours.map((r) => r.reportMs ?? Infinity)),
      right: offlineRuns.ours.filter((r) => r.connectivity === 'offline').length,
    },
    pathMtu: {
      withinBytes: Math.max(...[...pmtudRuns, ...blackHoleRuns].map((r) => (r.pathMtu?.bytes == null ? Infinity : 1400 - r.pathMtu.bytes))),
      toldApart: pmtudRuns.filter((r) => r.pathMtu?.blackHole === false).length + blackHoleRuns.filter((r) => r.pathMtu?.blackHole === true).length,
      runs: pmtudRuns.length + blackHoleRuns.length,
      medianReportMs: { pmtud: med(pmtudRuns, 'reportMs'), blackHole: med(blackHoleRuns, 'reportMs') },
    },
    udpBlocked: {
      oursMedianReportMs: med(blockedRuns.ours, 'reportMs'),
      oursMaxReportMs: Math.max(...blockedRuns.ours.map((r) => r.reportMs ?? Infinity)),
      medianWallMs: { ours: med(blockedRuns.ours), stun: med(blockedRuns.stun), natdiscovery: med(blockedRuns.natdiscovery) },
      oursRight: `${agree(blockedRuns.ours, 'udp-blocked')}/${blockedRuns.ours.length}`,
    },
    loss: {
      percent: LOSS_PERCENT,
      accuracyPercent: Object.fromEntries(lossNames.map((n) => [n, accuracy(lossRuns[n])])),
      oursTypes: Object.fromEntries([...new Set(lossRuns.ours.map((r) => r.type))].map((t) => [t, lossRuns.ours.filter((r) => r.type === t).length])),
      oursMedianWallMs: med(lossRuns.ours),
    },
  };
  raw.summary = summary;

  const pr = summary.portRestricted;
  const targets = [
    ['full diagnose ≤ 0.08 × natdiscovery', pr.ratio.oursOverNatdiscovery !== null && pr.ratio.oursOverNatdiscovery <= 0.08],
    ['full diagnose ≤ 0.4 × stun', pr.ratio.oursOverStun !== null && pr.ratio.oursOverStun <= 0.4],
    ['same verdicts (all runs)', pr.verdictsAgree],
    ['UDP blocked ≤ 1 s when TCP answers (every run, report durationMs)', summary.udpBlocked.oursMaxReportMs <= 1000 && agree(blockedRuns.ours, 'udp-blocked') === blockedRuns.ours.length],
    ['offline ≤ 3 s (every run, report durationMs)', summary.offline.maxReportMs <= 3000 && summary.offline.right === offlineRuns.ours.length],
    [`≥ 95 % right under ${LOSS_PERCENT} % loss`, (summary.loss.accuracyPercent.ours ?? 0) >= 95],
    ['path MTU within 8 bytes of the 1400-byte bottleneck (every run)', summary.pathMtu.withinBytes >= 0 && summary.pathMtu.withinBytes <= 8],
    ['black hole told apart from working discovery (every run)', summary.pathMtu.toldApart === summary.pathMtu.runs],
    ['path MTU and connectivity add ≤ 10 % to a full diagnosis (median durationMs)', summary.overhead.ratio !== null && summary.overhead.ratio <= 1.1],
  ];
  raw.targets = Object.fromEntries(targets);

  console.log(`\nNAT Doctor benchmark — lab port-restricted cone NAT, coturn RFC 5780 server, ${RUNS} alternating runs each (node ${process.version}, ${cpus().length} CPUs)\n`);
  console.log(table(rows));
  console.log(`\nratio ours / natdiscovery: ${fmtRatio(pr.ratio.oursOverNatdiscovery)}   ratio ours / stun: ${fmtRatio(pr.ratio.oursOverStun)}   (our report's own durationMs median: ${fmtMs(pr.medianReportMs)})`);
  console.log(`  of which the NAT verdict (mapping, filtering, type) was ready after ${fmtMs(pr.oursMedianNatVerdictMs)} (median; the rest is the CGNAT/port-mapping phase)`);
  console.log(`UDP blocked (${BLOCKED_RUNS} runs): ours ${fmtMs(summary.udpBlocked.oursMedianReportMs)} median, ${fmtMs(summary.udpBlocked.oursMaxReportMs)} max (report durationMs; wall ${fmtMs(summary.udpBlocked.medianWallMs.ours)}), right ${summary.udpBlocked.oursRight}; stun ${fmtMs(summary.udpBlocked.medianWallMs.stun)}, natdiscovery ${fmtMs(summary.udpBlocked.medianWallMs.natdiscovery)}`);
  console.log(`offline (${BLOCKED_RUNS} runs): ${fmtMs(summary.offline.medianReportMs)} median, ${fmtMs(summary.offline.maxReportMs)} max, right ${summary.offline.right}/${offlineRuns.ours.length}`);
  console.log(`path MTU (${MTU_RUNS} + ${MTU_RUNS} runs, 1400-byte WAN): furthest from 1400: ${summary.pathMtu.withinBytes} bytes; black hole told apart ${summary.pathMtu.toldApart}/${summary.pathMtu.runs}; median durationMs ${fmtMs(summary.pathMtu.medianReportMs.pmtud)} (ICMP delivered), ${fmtMs(summary.pathMtu.medianReportMs.blackHole)} (black hole)`);
  console.log(`full diagnose with / without path MTU: ${fmtMs(summary.overhead.medianReportMs.full)} / ${fmtMs(summary.overhead.medianReportMs.withoutPathMtu)} median durationMs = ${fmtRatio(summary.overhead.ratio)}`);
  console.log(`${LOSS_PERCENT} % UDP loss (${LOSS_RUNS} runs): right type ${lossNames.map((n) => `${n} ${summary.loss.accuracyPercent[n]?.toFixed(0)} %`).join(', ')}; ours gave ${JSON.stringify(summary.loss.oursTypes)}, median ${fmtMs(summary.loss.oursMedianWallMs)}`);
  console.log('\ntargets:');
  for (const [name, met] of targets) console.log(`  ${met ? 'met    ' : 'NOT MET'}  ${name}`);

  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `diagnose-${raw.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(raw, null, 2) + '\n');
  console.log(`\nraw results: ${file}`);
} catch (err) {
  console.error(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  exitCode = 1;
} finally {
  await lab.close();
}
process.exitCode = exitCode;

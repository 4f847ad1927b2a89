// Benchmark of the fleet mode on the NAT lab (needs root; see test/lab/ and docs/fleet.md). Not a
// test: it prints figures and ratios measured in the same run, on the same port-restricted NAT:
//   1. `diagnose --prometheus` against `diagnose --json`, alternating runs (the target: no
//      measurable difference). The diagnosis itself varies by hundreds of ms from run to run, and
//      the output is formatted after it has finished, so the format's cost shows in the time
//      outside the diagnosis: wall time minus the report's own run duration;
//   2. the formatting alone, in-process: formatPrometheusReport vs JSON.stringify of one report;
//   3. `monitor`: how long SIGTERM takes to end it, idle between runs and with a diagnosis in
//      flight (a STUN server that never answers), and the packets it sends between runs.
// Raw results go to bench/results/fleet-<time>.json (gitignored).
//
// Usage: node bench/fleet.bench.mjs [--runs 15 --stops 5 --idle-seconds 30]
//   (needs `npm run build` and `npm run compile-tests`: the lab is TypeScript under test/lab)
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { benchDir as here, cliPath, intOption, median, requireLab, root } from './labBench.mjs';

const RUNS = intOption('runs', 15, 1);
const STOPS = intOption('stops', 5, 1);
const IDLE_SECONDS = intOption('idle-seconds', 30, 1);
const STUN_HOST = '203.0.113.10';
const STUN = `${STUN_HOST}:3478`;
const SILENT = { address: '203.0.113.20', port: 3478 };

const labModule = requireLab(['turnserver'], 'sudo node bench/fleet.bench.mjs');
const { Lab } = labModule('netns.js');
const { buildNatTopology } = labModule('natTopology.js');
const { startCoturn } = labModule('coturn.js');
const { startHostileResponder } = labModule('hostileResponder.js');
const { formatPrometheusReport } = labModule('../../src/core/report/prometheusReport.js');

const fmtMs = (ms) => (ms === null ? 'n/a' : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);

async function diagnoseOnce(ns, format) {
  const started = process.hrtime.bigint();
  const run = await ns.run(process.execPath, [cliPath, 'diagnose', `--${format}`, '--no-captive-portal', '--stun', STUN, '--timeout', '8000'], { timeoutMs: 20_000, cwd: root });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  let reportMs = null;
  if (format === 'json') {
    try {
      reportMs = JSON.parse(run.stdout).durationMs;
    } catch {
      reportMs = null;
    }
  } else {
    const seconds = /^natdoctor_run_duration_seconds (\S+)$/m.exec(run.stdout)?.[1];
    reportMs = seconds === undefined ? null : Number(seconds) * 1000;
  }
  return { wallMs, reportMs, outsideMs: reportMs === null ? null : wallMs - reportMs, code: run.code, bytes: Buffer.byteLength(run.stdout) };
}

function startMonitor(ns, args) {
  const proc = ns.spawn(process.execPath, [cliPath, 'monitor', '--no-captive-portal', ...args], { cwd: root });
  proc.child.stdin?.end();
  return proc;
}

/** SIGTERM → exit, in ms; null when it did not end within 10 s (then it is killed). */
async function stopLatency(proc) {
  const started = process.hrtime.bigint();
  process.kill(proc.pid, 'SIGTERM');
  let timer;
  const limit = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), 10_000)));
  const outcome = await Promise.race([proc.exited, limit]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    await proc.stop();
    return { ms: null, code: null };
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, code: outcome.code };
}

async function sentPackets(ns) {
  const run = await ns.check('nft', ['list', 'counter', 'inet', 'ndbench', 'sent']);
  return Number(/packets (\d+)/.exec(run.stdout)?.[1] ?? NaN);
}

const lab = new Lab();
try {
  const load = loadavg()[0];
  const topology = await buildNatTopology(lab, { behavior: 'port-restricted-cone' });
  await startCoturn(topology.publicNs, { addresses: topology.serverAddresses });
  await topology.addPublicAddress(SILENT.address);
  await topology.addPublicAddress('203.0.113.21');
  const client = topology.client;

  // 1. --prometheus against --json, alternating so both see the same load.
  const runs = { json: [], prometheus: [] };
  await diagnoseOnce(client, 'json'); // warm-up: page cache, ARP, conntrack
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? ['json', 'prometheus'] : ['prometheus', 'json'];
    for (const format of order) runs[format].push(await diagnoseOnce(client, format));
  }

  // 2. The formatting alone, on the last JSON report.
  const last = await client.run(process.execPath, [cliPath, 'diagnose', '--json', '--no-captive-portal', '--stun', STUN, '--timeout', '8000'], { timeoutMs: 20_000, cwd: root });
  const report = JSON.parse(last.stdout);
  const ITER = 20_000;
  const time = (fn) => {
    for (let i = 0; i < 1000; i++) fn();
    const started = process.hrtime.bigint();
    for (let i = 0; i < ITER; i++) fn();
    return Number(process.hrtime.bigint() - started) / 1e3 / ITER; // µs per call
  };
  const formatUs = { prometheus: time(() => formatPrometheusReport(report)), json: time(() => JSON.stringify(report, null, 2)) };

  // 3. monitor: SIGTERM latency, idle and in flight; packets between runs.
  const idleStops = [];
  for (let i = 0; i < STOPS; i++) {
    const proc = startMonitor(client, ['--every', '1h', '--stun', STUN]);
    await proc.waitForOutput(/reason=startup\n/, 30_000);
    idleStops.push(await stopLatency(proc));
  }
  const silent = await startHostileResponder(topology.publicNs, { listen: SILENT, wrongSourceAddress: '203.0.113.21', behaviours: [] });
  const inFlightStops = [];
  for (let i = 0; i < STOPS; i++) {
    const before = silent.requestCount();
    const proc = startMonitor(client, ['--every', '1h', '--timeout', '60000', '--stun', `${SILENT.address}:${SILENT.port}`]);
    await proc.waitForOutput(/diagnosing now/, 10_000);
    // In flight: the silent server has received this run's first request.
    for (let turn = 0; turn < 2000 && silent.requestCount() === before; turn++) await new Promise((r) => setTimeout(r, 5));
    inFlightStops.push(await stopLatency(proc));
  }
  await silent.stop();

  await client.nft('table inet ndbench {\n  counter sent {}\n  chain out {\n    type filter hook output priority 0; policy accept;\n    oifname "eth0" meta l4proto { tcp, udp, icmp } counter name "sent"\n  }\n}\n');
  const idle = startMonitor(client, ['--every', '1h', '--stun', STUN]);
  await idle.waitForOutput(/reason=startup\n/, 30_000);
  const atRunEnd = await sentPackets(client);
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const idlePackets = (await sentPackets(client)) - atRunEnd;
  await stopLatency(idle);

  const summary = {
    diagnose: {
      runs: RUNS,
      medianWallMs: { json: median(runs.json.map((r) => r.wallMs)), prometheus: median(runs.prometheus.map((r) => r.wallMs)) },
      medianReportMs: { json: median(runs.json.map((r) => r.reportMs)), prometheus: median(runs.prometheus.map((r) => r.reportMs)) },
      medianOutsideMs: { json: median(runs.json.map((r) => r.outsideMs)), prometheus: median(runs.prometheus.map((r) => r.outsideMs)) },
      exitCodes: { json: runs.json.map((r) => r.code), prometheus: runs.prometheus.map((r) => r.code) },
      outputBytes: { json: median(runs.json.map((r) => r.bytes)), prometheus: median(runs.prometheus.map((r) => r.bytes)) },
    },
    formatUsPerCall: formatUs,
    monitor: {
      sigtermIdleMs: idleStops,
      sigtermInFlightMs: inFlightStops,
      packetsBetweenRuns: { windowSeconds: IDLE_SECONDS, packets: idlePackets, firstRunPackets: atRunEnd },
    },
  };
  const d = summary.diagnose;
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Linux ${release()}, load ${load.toFixed(2)} at start (shared machine)`);
  console.log(`\n1. diagnose, port-restricted cone NAT, ${RUNS} runs each, alternating:`);
  console.log(`   --json        wall ${fmtMs(d.medianWallMs.json)}   diagnosis ${fmtMs(d.medianReportMs.json)}   outside it ${fmtMs(d.medianOutsideMs.json)}   ${d.outputBytes.json} bytes`);
  console.log(`   --prometheus  wall ${fmtMs(d.medianWallMs.prometheus)}   diagnosis ${fmtMs(d.medianReportMs.prometheus)}   outside it ${fmtMs(d.medianOutsideMs.prometheus)}   ${d.outputBytes.prometheus} bytes`);
  console.log(`   ratio prometheus / json: outside the diagnosis ${(d.medianOutsideMs.prometheus / d.medianOutsideMs.json).toFixed(3)} (process start, bundle load, format, write), wall ${(d.medianWallMs.prometheus / d.medianWallMs.json).toFixed(3)} (dominated by the diagnosis' own spread)`);
  console.log(`2. formatting one report: formatPrometheusReport ${formatUs.prometheus.toFixed(1)} µs, JSON.stringify ${formatUs.json.toFixed(1)} µs (ratio ${(formatUs.prometheus / formatUs.json).toFixed(2)}); ${((formatUs.prometheus / 1000 / d.medianWallMs.json) * 100).toFixed(4)} % of a diagnosis`);
  console.log(`3. monitor, SIGTERM → exit: idle median ${fmtMs(median(idleStops.map((s) => s.ms)))} (max ${fmtMs(Math.max(...idleStops.map((s) => s.ms ?? Infinity)))}), exit codes ${idleStops.map((s) => s.code).join(',')}`);
  console.log(`   with a diagnosis in flight: median ${fmtMs(median(inFlightStops.map((s) => s.ms)))} (max ${fmtMs(Math.max(...inFlightStops.map((s) => s.ms ?? Infinity)))}), exit codes ${inFlightStops.map((s) => s.code).join(',')}`);
  console.log(`   packets sent between runs over ${IDLE_SECONDS} s with the network unchanged: ${idlePackets} (the first run sent ${atRunEnd})`);

  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `fleet-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ summary, raw: runs }, null, 2) + '\n');
  console.log(`\nraw results: ${file}`);
} finally {
  await lab.close();
}

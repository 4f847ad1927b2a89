// Benchmark of the VPN reachability probes on the NAT lab (needs root; see test/lab/). Not a test:
// it prints figures and ratios against a plain STUN Binding measured in the same run, through the
// same port-restricted-cone NAT (client 192.0.2.2 → router 203.0.113.1 → servers):
//   1. the default five-port set (UDP 500, 4500, 1194, 51820, TCP 443), all filtered (ICMP
//      admin-prohibited), and all dropped (silence, which costs the probe budget): wall time of
//      the whole parallel set (target ≤ 1 s for both; the default budget is 0.8 s);
//   2. answered probes' RTT (ike/strongSwan, openvpn/OpenVPN 2.6, wireguard/wireguard-go,
//      tcp) minus the STUN RTT of the same round (target: within 1 ms);
//   3. a WireGuard handshake with the right keys, wall time of the whole probe (socket, X25519,
//      BLAKE2s, ChaCha20-Poly1305, one round trip) vs 2 × STUN RTT + 5 ms.
// Raw results go to bench/results/probes-<time>.json (gitignored).
//
// Usage: npm run build && npm run compile-tests && sudo node bench/probes.bench.mjs [--rounds 25] [--runs 7]
//   [--out DIR]  (DIR holds the compiled test/lab and src; default out/)
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  if (typeof fallback === 'number') {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`bench: --${name} needs a whole number`);
      process.exit(2);
    }
    return n;
  }
  return value;
}
const ROUNDS = option('rounds', 25);
const RUNS = option('runs', 7);
const outDir = join(root, option('out', 'out'));
const labDir = join(outDir, 'test/lab');

if (!existsSync(join(labDir, 'probeServers.js'))) {
  console.error(`bench: ${labDir}/probeServers.js is missing; run \`npm run compile-tests\` first`);
  process.exit(1);
}
const { labAvailability } = require(join(labDir, 'labEnv.js'));
const { Lab } = require(join(labDir, 'netns.js'));
const { buildNatTopology } = require(join(labDir, 'natTopology.js'));
const { startCoturn } = require(join(labDir, 'coturn.js'));
const { CHARON_PATH, engineIn, makeCertificates, startCharon, startListener, startOpenVpn, startWireGuard } = require(join(labDir, 'probeServers.js'));

const availability = labAvailability(['turnserver', 'wireguard-go', 'wg', 'openvpn', 'openssl', 'ss', 'unshare', 'swanctl']);
if (!availability.runnable || !CHARON_PATH) {
  console.error(`bench: the probe lab cannot run here: ${[...availability.problems, ...(CHARON_PATH ? [] : ['no strongSwan charon'])].join('; ')}.\nRun it as root after scripts/setup.sh.`);
  process.exit(1);
}

const SERVER = '203.0.113.10';
const FILTERED_HOST = '203.0.113.12';
const DROPPED_HOST = '203.0.113.13';
const DEFAULT_PORTS = ['500/ike', '4500/ike-natt', '1194/openvpn', '51820/wireguard', '443/tls'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

const lab = new Lab();
// The lab owns its temporary folder and removes it in close(), even when the bench fails.
const dir = { path: lab.tempDir('bench') };
let coturn;
const raw = { startedAt: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, kernel: release(), node: process.version } };
let failed = false;
try {
  // ---- the lab ------------------------------------------------------------------------------
  const topology = await buildNatTopology(lab, { behavior: 'port-restricted-cone' });
  const ns = topology.publicNs;
  await topology.addPublicAddress(FILTERED_HOST);
  await topology.addPublicAddress(DROPPED_HOST);
  await ns.nft(`table inet benchfw {
  chain input {
    type filter hook input priority 0; policy accept;
    ip daddr ${FILTERED_HOST} udp dport { 500, 4500, 1194, 51820 } reject with icmp type admin-prohibited
    ip daddr ${FILTERED_HOST} tcp dport 443 reject with icmp type admin-prohibited
    ip daddr ${DROPPED_HOST} drop
  }
}
`);
  // Every probe reaches the servers from the one NAT address: lift the per-destination ICMP limit.
  await ns.sysctl('net.ipv4.icmp_ratelimit', 0);
  const certs = makeCertificates(dir.path);
  const wgConfig = join(dir.path, 'wg-client.conf');
  copyFileSync(join(root, 'test/fixtures/probes/kat-client.conf'), wgConfig);
  await Promise.all([
    startCoturn(ns, { addresses: [SERVER] }).then((c) => {
      coturn = c;
    }),
    startWireGuard(ns, dir.path, {
      privateKey: 'oK/KSSAUGeO+iYwey90tOch4zRUZwgmaDTIchh+i+k4=',
      port: 51820,
      address: '100.64.100.1/24',
      peers: [{ publicKey: 'qHwXsTsQz+kC1sntBm28nbbm4AKBN4r3UmUYprgD7Fo=', presharedKey: 'HZdtzF60pYqQXbbzNNMQa06bGDS6bYnchEZ5kdiqPLQ=', allowedIp: '100.64.100.2/32' }],
    }),
    startOpenVpn(ns, { address: SERVER, port: 1194, proto: 'udp', subnet: '100.64.201.0', certs }),
    startCharon(ns, dir.path),
    startListener(ns, { address: SERVER, port: 8080 }),
  ]);
  const client = topology.client;

  // ---- 1. the default set, all filtered, and all dropped --------------------------------------
  const filteredRuns = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await engineIn(client, { targets: DEFAULT_PORTS.map((p) => `${FILTERED_HOST}:${p}`) });
    filteredRuns.push({ elapsedMs: r.elapsedMs, states: r.results.map((x) => x.state) });
  }
  const droppedRuns = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    const r = await engineIn(client, { targets: DEFAULT_PORTS.map((p) => `${DROPPED_HOST}:${p}`) });
    droppedRuns.push({ elapsedMs: r.elapsedMs, states: r.results.map((x) => x.state) });
  }
  raw.filtered = filteredRuns;
  raw.dropped = droppedRuns;
  const allFiltered = filteredRuns.every((r) => r.states.every((s) => s === 'filtered'));
  const filteredMax = Math.max(...filteredRuns.map((r) => r.elapsedMs));
  const ok1 = allFiltered && filteredMax <= 1000;
  const droppedMax = Math.max(...droppedRuns.map((r) => r.elapsedMs));
  const ok1b = droppedMax <= 1000;
  failed ||= !ok1 || !ok1b;
  console.log(`\n1. Default five-port set (${DEFAULT_PORTS.join(', ')}), ${RUNS} runs`);
  console.log(`   all filtered (ICMP admin-prohibited): median ${median(filteredRuns.map((r) => r.elapsedMs))} ms, max ${filteredMax} ms` +
    `  [target ≤ 1000 ms; states ${allFiltered ? 'all filtered' : 'NOT all filtered'}] ${verdict(ok1)}`);
  console.log(`   all dropped (silence: UDP open|filtered, TCP filtered by timeout): median ${median(droppedRuns.map((r) => r.elapsedMs))} ms, max ${droppedMax} ms` +
    `  [target ≤ 1000 ms] ${verdict(ok1b)}`);

  // ---- 2 + 3. answered RTTs vs STUN, WireGuard handshake --------------------------------------
  const roundTargets = [`${SERVER}:3478/stun`, `${SERVER}:500/ike`, `${SERVER}:1194/openvpn`, `${SERVER}:51820/wireguard`, `${SERVER}:8080/tcp`];
  const names = ['stun', 'ike', 'openvpn', 'wireguard', 'tcp'];
  const r = await engineIn(client, { targets: roundTargets, repeat: ROUNDS, intervalMs: 50, ikeLimit: 100000, config: wgConfig });
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const slice = r.results.slice(i * names.length, (i + 1) * names.length);
    const ms = r.probeMs.slice(i * names.length, (i + 1) * names.length);
    rounds.push(Object.fromEntries(names.map((n, j) => [n, { state: slice[j]?.state, rttMs: slice[j]?.rttMs ?? null, wallMs: ms[j] }])));
  }
  raw.rounds = rounds;
  const stunRtts = rounds.map((x) => x.stun.rttMs).filter((v) => v !== null);
  console.log(`\n2. RTT of answered probes vs a plain STUN Binding in the same round (${ROUNDS} rounds)`);
  console.log(`   STUN (coturn) RTT: median ${f(median(stunRtts), 3)} ms`);
  for (const n of names.slice(1)) {
    const answered = rounds.filter((x) => x[n].state === 'open' && x[n].rttMs !== null && x.stun.rttMs !== null);
    const diffs = answered.map((x) => x[n].rttMs - x.stun.rttMs);
    const med = median(diffs);
    const ok = answered.length === rounds.length && Math.abs(med) <= 1;
    failed ||= !ok;
    console.log(`   ${n.padEnd(9)} RTT median ${f(median(answered.map((x) => x[n].rttMs)), 3)} ms; minus STUN: median ${f(med, 3)} ms, max ${f(Math.max(...diffs), 3)} ms` +
      `  (${answered.length}/${rounds.length} answered) [target |Δ| ≤ 1 ms] ${verdict(ok)}`);
  }

  const wg = rounds.filter((x) => x.wireguard.state === 'open');
  const budgets = wg.map((x) => 2 * x.stun.rttMs + 5);
  const wall = wg.map((x) => x.wireguard.wallMs);
  const within = wg.filter((x) => x.wireguard.wallMs <= 2 * x.stun.rttMs + 5).length;
  const ok3 = wg.length === rounds.length && median(wall) <= median(budgets);
  failed ||= !ok3;
  console.log(`\n3. WireGuard handshake probe with the right keys (whole probe: socket, crypto, one round trip)`);
  console.log(`   wall time median ${f(median(wall))} ms, max ${f(Math.max(...wall))} ms; budget 2 × STUN RTT + 5 ms = median ${f(median(budgets))} ms;` +
    ` ${within}/${wg.length} rounds within budget; ratio median wall / budget ${f(median(wall) / median(budgets))} ${verdict(ok3)}`);
  console.log(`   (rounds whose verdict was verified: ${rounds.filter((x) => x.wireguard.state === 'open').length}/${rounds.length})`);
} catch (err) {
  failed = true;
  console.error(`bench: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  await coturn?.stop();
  await lab.close();
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, 'bench/results', `probes-${raw.startedAt.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(raw, null, 2));
console.log(`\nraw results: ${file}`);
process.exitCode = failed ? 1 : 0;

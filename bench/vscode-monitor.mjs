// Bench for the status-bar monitor: how soon after a network change is detected the
// quick check has a new verdict (target ≤ 1 s), and that nothing is sent while the network stays
// the same. Runs the real NetworkMonitor and the real engine's quick check against a STUN
// responder on loopback; the interface table is scripted so the "network change" is exact.
// The peer, measured in the same run: one quick check started directly (no monitor), so the ratio
// shows what the monitor adds on top of the check itself.
//   npm run compile-tests && node bench/vscode-monitor.mjs
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { NetworkMonitor } = require(join(root, 'out/src/core/monitor/networkMonitor.js'));
const { diagnose } = require(join(root, 'out/src/core/diagnose.js'));
const { startStunResponder } = require(join(root, 'out/test/vscode/suite/stunResponder.js'));

const stun = await startStunResponder();
const quick = () => diagnose({ mode: 'quick', stunServers: [`127.0.0.1:${stun.port}`], timeoutMs: 5_000 });
const lan = { eth0: [{ address: '192.168.1.20', family: 'IPv4', internal: false, cidr: '192.168.1.20/24' }] };
const lanPlusVpn = { ...lan, wg0: [{ address: '10.8.0.2', family: 'IPv4', internal: false, cidr: '10.8.0.2/32' }] };

const POLL_MS = 200;
const rounds = 10;
let table = lan;
let detectedAt = 0;
let finished = () => undefined;
const monitor = new NetworkMonitor({
  readInterfaces: () => table,
  runCheck: async () => { await quick(); finished(); return 'ok'; },
  intervalMs: 0,
  pollMs: POLL_MS,
  log: (message) => { if (message.startsWith('monitor: network changed')) detectedAt = performance.now(); },
});
const firstCheck = new Promise((r) => { finished = r; });
monitor.start();
await firstCheck;

// Quiet period: ten polls with no change must send nothing.
const before = stun.requests;
await new Promise((r) => setTimeout(r, POLL_MS * 10));
const quietRequests = stun.requests - before;

const delays = [];
for (let i = 0; i < rounds; i++) {
  const done = new Promise((r) => { finished = r; });
  table = table === lan ? lanPlusVpn : lan;
  await done;
  delays.push(performance.now() - detectedAt);
}
monitor.stop();

const direct = [];
for (let i = 0; i < rounds; i++) {
  const start = performance.now();
  await quick();
  direct.push(performance.now() - start);
}
await stun.close();

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const afterChange = median(delays);
const alone = median(direct);
console.log(`STUN requests during ${POLL_MS * 10} ms of an unchanged network: ${quietRequests} (target 0: ${quietRequests === 0 ? 'met' : 'MISSED'})`);
console.log(`new verdict after a detected change: median ${afterChange.toFixed(0)} ms, max ${Math.max(...delays).toFixed(0)} ms over ${rounds} changes (target ≤ 1000 ms: ${Math.max(...delays) <= 1000 ? 'met' : 'MISSED'})`);
console.log(`peer: the quick check alone, median ${alone.toFixed(0)} ms; monitor overhead ratio ${(afterChange / alone).toFixed(2)}× (the 300 ms settle delay is deliberate)`);

// Router port-mapping discovery cost (target: ≤ 300 ms added to `diagnose` when nothing
// answers). On the lab's port-restricted NAT, with and without miniupnpd on the router, it times
// the NAT-PMP + PCP + UPnP probe alone (run inside the client namespace) and the whole `diagnose`,
// alternating, and prints medians. The probe runs beside the STUN tests, so what it adds to
// `diagnose` is at most its own time minus theirs.
//
// Usage: sudo npm run build && npm run compile-tests && node bench/portMapping.bench.mjs [--runs 7]
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const labDir = join(root, 'out/test/lab');
const cliPath = join(root, 'dist/cli.js');
const runsIndex = process.argv.indexOf('--runs');
const RUNS = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 7;

for (const path of [cliPath, join(labDir, 'netns.js'), join(root, 'out/src/core/portmap/portMapping.js')]) {
  if (!existsSync(path)) {
    console.error(`bench: ${path} is missing; run \`npm run build && npm run compile-tests\` first`);
    process.exit(1);
  }
}
const { labAvailability } = require(join(labDir, 'labEnv.js'));
const { Lab } = require(join(labDir, 'netns.js'));
const { buildNatTopology, LAN, STUN_PRIMARY, STUN_ALTERNATE } = require(join(labDir, 'natTopology.js'));
const { startCoturn } = require(join(labDir, 'coturn.js'));
const { startMiniupnpd } = require(join(labDir, 'miniupnpd.js'));

const availability = labAvailability(['turnserver', 'miniupnpd']);
if (!availability.runnable) {
  console.error(`bench: the NAT lab cannot run here: ${availability.problems.join('; ')}`);
  process.exit(1);
}

// The probe alone, timed inside the client namespace by a one-off script.
const probeScript = `
const { probePortMapping } = require(${JSON.stringify(join(root, 'out/src/core/portmap/portMapping.js'))});
const { findUplink } = require(${JSON.stringify(join(root, 'out/src/core/netinfo/uplink.js'))});
(async () => {
  const signal = new AbortController().signal;
  const uplink = await findUplink('${STUN_PRIMARY}', signal);
  const t0 = performance.now();
  const result = await probePortMapping(uplink, signal);
  console.log(JSON.stringify({ ms: performance.now() - t0, upnp: result.upnp.answered, natPmp: result.natPmp.answered, pcp: result.pcp.answered }));
})();`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function measure(ns) {
  const probe = [];
  const diagnose = [];
  for (let i = 0; i < RUNS; i++) {
    const p = await ns.check(process.execPath, ['-e', probeScript], { timeoutMs: 10_000 });
    probe.push(JSON.parse(p.stdout));
    const d = await ns.check(process.execPath, [cliPath, 'diagnose', '--json', '--no-captive-portal', '--stun', `${STUN_PRIMARY}:3478`], { timeoutMs: 20_000, cwd: root });
    diagnose.push(JSON.parse(d.stdout).durationMs);
  }
  return { probeMs: median(probe.map((r) => r.ms)), answered: probe[0], diagnoseMs: median(diagnose) };
}

const lab = new Lab();
let exitCode = 0;
try {
  const quiet = await buildNatTopology(lab, { behavior: 'port-restricted-cone' });
  await startCoturn(quiet.publicNs, { addresses: [STUN_PRIMARY, STUN_ALTERNATE] });
  const withUpnp = await buildNatTopology(lab, { behavior: 'port-restricted-cone' });
  await startCoturn(withUpnp.publicNs, { addresses: [STUN_PRIMARY, STUN_ALTERNATE] });
  await startMiniupnpd(withUpnp.router, { wan: 'wan0', lan: 'lan0', lanSubnet: `${LAN.client}/24` });

  const nothing = await measure(quiet.client);
  const upnp = await measure(withUpnp.client);
  console.log(`Port-mapping discovery (NAT-PMP + PCP + UPnP IGD), ${RUNS} runs, medians:`);
  console.log(`  router with nothing listening : probe ${Math.round(nothing.probeMs)} ms; whole diagnose ${nothing.diagnoseMs} ms`);
  console.log(`  router running miniupnpd      : probe ${Math.round(upnp.probeMs)} ms (answered: UPnP ${upnp.answered.upnp}, NAT-PMP ${upnp.answered.natPmp}, PCP ${upnp.answered.pcp}); whole diagnose ${upnp.diagnoseMs} ms`);
  console.log(`  target ≤ 300 ms when nothing answers: ${nothing.probeMs <= 300 ? 'met' : 'NOT MET'}`);
} catch (err) {
  console.error(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  exitCode = 1;
} finally {
  await lab.close();
}
process.exitCode = exitCode;

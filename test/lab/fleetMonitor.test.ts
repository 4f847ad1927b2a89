// `nat-doctor monitor` (the built CLI) in the client namespace of a port-restricted-cone lab NAT,
// with a real prometheus-node-exporter reading its --textfile through the textfile collector:
// the collector reads it without error, the file is never seen half-written while the monitor
// rewrites it, SIGTERM ends the monitor (idle, and with a diagnosis in flight) with exit status 0,
// and between runs, while the network stays the same, the client sends nothing (an nftables
// counter on its output) until the network changes and a run follows. How fast SIGTERM ends it is
// measured in bench/fleet.bench.mjs, not asserted here.
import assert from 'node:assert/strict';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertCliBuilt, CLI_PATH, REPO_ROOT } from './cliRunner';
import { startCoturn } from './coturn';
import { parseExposition, samples } from './exposition';
import { startHostileResponder } from './hostileResponder';
import { labGate } from './labEnv';
import { buildNatTopology, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab, type LabProcess, type Netns } from './netns';

const gate = labGate(['turnserver', 'prometheus-node-exporter']);
const STUN = `${STUN_PRIMARY}:3478`;
const EXPORTER = '127.0.0.1:9100';
/** A STUN "server" that logs every request and never answers: a diagnosis against it stays in flight. */
const SILENT = { address: '203.0.113.20', port: 3478 };
const SILENT_OTHER = '203.0.113.21';

/** The built CLI's monitor; lab runs never ask a public host (no captive-portal check). */
function startMonitor(ns: Netns, args: string[]): LabProcess {
  const proc = ns.spawn(process.execPath, [CLI_PATH, 'monitor', '--no-captive-portal', ...args], { cwd: REPO_ROOT });
  proc.child.stdin?.end();
  return proc;
}

/** Resolves once `path` exists (inotify on its folder, not polling), rejects after `timeoutMs`. */
function fileAppears(path: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dirname(path), () => {
      if (existsSync(path)) done();
    });
    const timer = setTimeout(() => done(new Error(`${path} did not appear within ${timeoutMs} ms`)), timeoutMs);
    const done = (error?: Error): void => {
      clearTimeout(timer);
      watcher.close();
      if (error) reject(error);
      else resolve();
    };
    if (existsSync(path)) done();
  });
}

/** Waits (bounded) for a process to end by itself; the exit code, or 'still running'. */
async function exitOf(proc: LabProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), timeoutMs)));
  const outcome = await Promise.race([proc.exited, limit]);
  clearTimeout(timer);
  return outcome;
}

/** SIGTERM to the monitor itself (what systemd sends), then how it ended. */
async function terminate(proc: LabProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  assert.ok(proc.pid !== undefined && proc.running, `the monitor is not running:\n${proc.tail()}`);
  process.kill(proc.pid, 'SIGTERM');
  return exitOf(proc, 10_000);
}

/** A complete file: every family this monitor writes, the last one whole, and nothing else. */
function assertComplete(text: string, families: readonly string[]): void {
  assert.ok(text.startsWith('# HELP natdoctor_info '), `starts with natdoctor_info: ${JSON.stringify(text.slice(0, 80))}`);
  assert.match(text, /\nnatdoctor_build_info\{version="[^"]+"\} 1\n$/, `ends with the last sample: ${JSON.stringify(text.slice(-80))}`);
  const seen = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
  assert.deepEqual(seen, families);
}

describe('nat-doctor monitor with a real node_exporter', { skip: gate.skip }, () => {
  let lab: Lab;
  let topology: NatTopology;
  let exporterNs: Netns;
  let textDir: string;
  const monitors: LabProcess[] = [];
  after(async () => {
    await Promise.all(monitors.map((m) => m.stop()));
    await lab?.close();
  });

  const scrape = async (): Promise<string> => {
    const script = `fetch('http://${EXPORTER}/metrics').then((r) => r.text()).then((t) => process.stdout.write(t), (e) => { console.error(e); process.exit(1); })`;
    const run = await exporterNs.run(process.execPath, ['-e', script], { timeoutMs: 10_000 });
    assert.equal(run.code, 0, run.stderr);
    return run.stdout;
  };

  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    lab = new Lab();
    topology = await buildNatTopology(lab, { behavior: 'port-restricted-cone' });
    await startCoturn(topology.publicNs, { addresses: topology.serverAddresses });
    await topology.addPublicAddress(SILENT.address);
    await topology.addPublicAddress(SILENT_OTHER);
    // node_exporter in a namespace of its own: its port cannot clash with anything on this machine.
    exporterNs = await lab.addNamespace('exporter');
    textDir = lab.tempDir('textfile');
    const exporter = exporterNs.spawn('prometheus-node-exporter', [
      `--web.listen-address=${EXPORTER}`,
      '--collector.disable-defaults',
      '--collector.textfile',
      `--collector.textfile.directory=${textDir}`,
    ]);
    await exporter.waitForOutput(/msg="Listening on"/, 10_000);
  });

  test("node_exporter's textfile collector reads the monitor's file: no scrape error, the verdicts as labels", { timeout: 60_000 }, async () => {
    const file = join(textDir, 'natdoctor.prom');
    const monitor = startMonitor(topology.client, ['--textfile', file, '--every', '1h', '--stun', STUN, '--probe', `${STUN}/stun`]);
    monitors.push(monitor);
    await fileAppears(file, 30_000);
    assert.equal(statSync(file).mode & 0o777, 0o644, 'readable by the collector whatever user it runs as');

    const e = parseExposition(await scrape());
    assert.deepEqual(samples(e, 'node_textfile_scrape_error').map((s) => s.value), [0]);
    assert.deepEqual(samples(e, 'node_textfile_mtime_seconds').map((s) => s.labels.file), [file]);
    const info = samples(e, 'natdoctor_info');
    assert.equal(info.length, 1);
    assert.deepEqual(
      [info[0]?.labels.nat_type, info[0]?.labels.mapping, info[0]?.labels.filtering, info[0]?.value],
      ['port-restricted-cone', 'endpoint-independent', 'address-and-port-dependent', 1],
    );
    assert.ok(['yes', 'no', 'unknown'].includes(info[0]?.labels.cgnat ?? ''));
    assert.deepEqual(samples(e, 'natdoctor_udp_ok').map((s) => s.value), [1]);
    assert.deepEqual(samples(e, 'natdoctor_probe_open').map((s) => [s.labels.target, s.labels.state, s.value]), [[`${STUN}/stun`, 'open', 1]]);
    assert.equal(samples(e, 'natdoctor_stun_rtt_seconds')[0]?.labels.server, STUN);

    const ended = await terminate(monitor);
    assert.deepEqual(ended, { code: 0, signal: null }, monitor.tail());
    assert.deepEqual(readdirSync(textDir), ['natdoctor.prom'], 'no temporary file left');
  });

  test('the file is never seen half-written while the monitor rewrites it every second', { timeout: 120_000 }, async (t) => {
    const file = join(textDir, 'rewritten.prom');
    const monitor = startMonitor(topology.client, ['--textfile', file, '--every', '1s', '--stun', STUN]);
    monitors.push(monitor);
    await fileAppears(file, 30_000);
    const families = [...readFileSync(file, 'utf8').matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] as string);

    // A reader as fast as this process can go, until it has seen 6 versions (bounded in reads and time).
    const versions = new Map<string, number>(); // natdoctor_last_run_timestamp_seconds → inode
    const deadline = Date.now() + 90_000;
    let reads = 0;
    let scrapes = 0;
    let scraping: Promise<void> = Promise.resolve();
    let scrapeRunning = false;
    while (versions.size < 6 && Date.now() < deadline && reads < 5_000_000) {
      // Open once and read through the descriptor: content and inode of the same version.
      const fd = openSync(file, 'r');
      let text: string;
      let inode: number;
      try {
        text = readFileSync(fd, 'utf8');
        inode = fstatSync(fd).ino;
      } finally {
        closeSync(fd);
      }
      reads += 1;
      assertComplete(text, families);
      const stamp = /^natdoctor_last_run_timestamp_seconds (\S+)$/m.exec(text)?.[1] ?? '';
      if (!versions.has(stamp)) versions.set(stamp, inode);
      if (reads % 200 === 0) {
        // node_exporter reads it too, one scrape at a time, while it is being replaced.
        if (!scrapeRunning && scrapes < 30) {
          scrapeRunning = true;
          scraping = scrape().then((text) => {
            assert.deepEqual(samples(parseExposition(text), 'node_textfile_scrape_error').map((s) => s.value), [0]);
            scrapes += 1;
            scrapeRunning = false;
          });
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    await scraping;
    t.diagnostic(`${reads} reads, ${versions.size} versions, ${scrapes} scrapes`);
    assert.ok(versions.size >= 6, `only ${versions.size} versions seen in ${reads} reads:\n${monitor.tail()}`);
    assert.equal(new Set(versions.values()).size, versions.size, 'each version is a new file renamed over the old one');
    assert.ok(scrapes > 0);

    assert.deepEqual(await terminate(monitor), { code: 0, signal: null }, monitor.tail());
    assert.deepEqual(readdirSync(textDir).filter((n) => n.startsWith(`.${basename(file)}`)), [], 'no temporary file left');
  });

  test('SIGTERM ends the monitor with exit status 0 while a diagnosis is in flight', { timeout: 60_000 }, async () => {
    const silent = await startHostileResponder(topology.publicNs, { listen: SILENT, wrongSourceAddress: SILENT_OTHER, behaviours: [] });
    // A 60 s deadline against a server that never answers: only the signal can end this run.
    const monitor = startMonitor(topology.client, ['--every', '1h', '--timeout', '60000', '--stun', `${SILENT.address}:${SILENT.port}`]);
    monitors.push(monitor);
    await silent.process.waitForOutput(/^REQ /m, 20_000);
    assert.deepEqual(await terminate(monitor), { code: 0, signal: null }, monitor.tail());
    assert.equal(monitor.stdout, '', 'a cancelled run prints no result');
    await silent.stop();
  });

  test('sends nothing between runs while the network is unchanged, and runs again when it changes', { timeout: 90_000 }, async () => {
    const client = topology.client;
    // Every packet the client sends on its uplink (ICMPv6 neighbour discovery is the kernel's, not ours).
    await client.nft(
      'table inet ndfleet {\n' +
        '  counter sent {}\n' +
        '  chain out {\n    type filter hook output priority 0; policy accept;\n' +
        '    oifname "eth0" meta l4proto { tcp, udp, icmp } counter name "sent"\n  }\n}\n',
    );
    const sent = async (): Promise<number> => {
      const run = await client.check('nft', ['list', 'counter', 'inet', 'ndfleet', 'sent']);
      return Number(/packets (\d+)/.exec(run.stdout)?.[1] ?? NaN);
    };
    const monitor = startMonitor(client, ['--every', '1h', '--stun', STUN]);
    monitors.push(monitor);
    await monitor.waitForOutput(/reason=startup\n/, 30_000);
    const afterFirstRun = await sent();
    assert.ok(afterFirstRun > 0, 'the first run sent its STUN requests through the counter');

    // The observation window: it spans more than two of the monitor's interface polls (every 5 s).
    await new Promise<void>((resolve) => setTimeout(resolve, 12_000));
    assert.equal(await sent(), afterFirstRun, 'nothing was sent while the network stayed the same');
    assert.equal(monitor.stdout.split('\n').filter(Boolean).length, 1, 'no run between');

    // A new address on the uplink is a network change: a run follows, and it sends again.
    await client.addAddress('eth0', '192.0.2.3/24');
    await monitor.waitForOutput(/reason=network-change\n/, 30_000);
    assert.ok((await sent()) > afterFirstRun);
    assert.match(monitor.stdout, /^time=\S+ nat_type=port-restricted-cone .* reason=startup\ntime=\S+ nat_type=port-restricted-cone .* reason=network-change\n$/);

    assert.deepEqual(await terminate(monitor), { code: 0, signal: null }, monitor.tail());
  });
});

// Real VPN servers for the probe lab tests, started in the lab's public namespace: strongSwan
// charon, OpenVPN 2.6, wireguard-go, coturn as a TURN server, plain TCP/TLS listeners. Each start
// function returns only once the server is READY by a real signal (a log line the server prints
// when its socket is open, a listening socket seen by `ss`, a config load acknowledged over vici),
// never after a fixed sleep. The lab stops every process and deletes every namespace in close().
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before } from 'node:test';
import { join } from 'node:path';
import type { ProbeOutcome } from '../../src/core/probes/types';
import { CLI_PATH, REPO_ROOT, assertCliBuilt } from './cliRunner';
import { isCi, labGate, type LabGate } from './labEnv';
import { buildNatTopology, type NatTopology } from './natTopology';
import { Lab, type LabProcess, type Netns } from './netns';
import { stunPingIn } from './stunPing';

/** Where Debian (and others) install the charon daemon, which is not on PATH. */
export const CHARON_PATH = ['/usr/lib/ipsec/charon', '/usr/libexec/ipsec/charon'].find((p) => existsSync(p));

/** labGate plus files that are not on PATH (charon). Outside CI a missing one skips; in CI it fails. */
export function probeLabGate(binaries: readonly string[], needsCharon = false): LabGate {
  const gate = labGate(binaries);
  if (!needsCharon || CHARON_PATH) return gate;
  const problem = 'missing strongSwan charon (/usr/lib/ipsec/charon; run scripts/setup.sh as root)';
  gate.availability.problems.push(problem);
  gate.availability.runnable = false;
  return {
    availability: gate.availability,
    skip: isCi() ? false : `probe lab skipped: ${gate.availability.problems.join('; ')}`,
    assertReady(): void {
      throw new Error(`probe lab cannot run: ${gate.availability.problems.join('; ')}`);
    },
  };
}

export interface ProbeLab {
  readonly topology: NatTopology;
  /** The suite's work folder (configs, keys, certificates), removed with the lab. */
  readonly dir: string;
}

/**
 * The probe suites' common fixture: a port-restricted-cone NAT lab and a work folder, built in a
 * `before` hook (call this before the suite's own `before`, which starts its servers) and removed
 * in `after` even when a test fails. Nothing is created while the suite is only being defined, so
 * a skipped suite leaves nothing behind.
 */
export function useProbeLab(gate: LabGate, label: string): ProbeLab {
  let lab: Lab | undefined;
  let state: ProbeLab | undefined;
  before(async () => {
    gate.assertReady();
    lab = new Lab();
    const dir = lab.tempDir(`probe-${label}`);
    state = { topology: await buildNatTopology(lab, { behavior: 'port-restricted-cone' }), dir };
  });
  after(() => lab?.close());
  const ready = (): ProbeLab => {
    if (!state) throw new Error('the probe lab is not set up (useProbeLab must run before the suite’s own before hook)');
    return state;
  };
  return {
    get topology() {
      return ready().topology;
    },
    get dir() {
      return ready().dir;
    },
  };
}

/** Waits until `ss` in `ns` shows a socket bound to `port` (UDP or TCP listening). Bounded. */
export async function waitForSocket(ns: Netns, proto: 'udp' | 'tcp', port: number, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  // `ss` is a real signal; polling it is bounded and each round costs one short command.
  for (let round = 0; Date.now() - started < timeoutMs; round++) {
    const r = await ns.run('ss', ['-H', proto === 'udp' ? '-lun' : '-ltn', `sport = :${port}`], { timeoutMs: 5_000 });
    if (r.stdout.trim() !== '') return;
    if (round > 500) break;
  }
  throw new Error(`nothing listens on ${proto} ${port} in ${ns.name} after ${timeoutMs} ms`);
}

// ------------------------------------------------------------------------------- the CLI

let stateDir: string | undefined;
/**
 * The CLI keeps its IKE politeness record (3 probes per server per 30 s) in a file; each test
 * process gets its own, removed at exit, so a rerun within 30 s does not wait on the last one.
 */
function cliStateDir(): string {
  if (!stateDir) {
    const dir = mkdtempSync(join(tmpdir(), 'nat-doctor-probe-state-'));
    stateDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return stateDir;
}

export interface ProbeRun {
  result: ProbeOutcome;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** `nat-doctor probe TARGET --json [args]` inside `ns`; throws unless exit 0 with one JSON document. */
export async function probeIn(ns: Netns, target: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ProbeRun> {
  assertCliBuilt();
  const all = ['probe', target, '--json', ...args];
  const run = await ns.run(process.execPath, [CLI_PATH, ...all], { timeoutMs: 30_000, cwd: REPO_ROOT, env: { ...process.env, NAT_DOCTOR_STATE_DIR: cliStateDir(), ...env } });
  let result: ProbeOutcome | undefined;
  try {
    result = JSON.parse(run.stdout) as ProbeOutcome;
  } catch {
    result = undefined;
  }
  if (run.code !== 0 || !result) throw new Error(`nat-doctor ${all.join(' ')} → exit ${run.code ?? run.signal}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return { result, stdout: run.stdout, stderr: run.stderr, durationMs: run.durationMs };
}

/** Runs the engine in `ns` through test/lab/probeRunner.ts, for options the CLI does not expose. */
export async function engineIn(
  ns: Netns,
  request: { targets: string[]; publicAddress?: string; ikeLimit?: number; timeoutMs?: number; sequential?: boolean; config?: string; repeat?: number; intervalMs?: number },
): Promise<{ results: ProbeOutcome[]; elapsedMs: number; probeMs: number[] }> {
  const runner = join(__dirname, 'probeRunner.js');
  const run = await ns.run(process.execPath, [runner, JSON.stringify(request)], { timeoutMs: 60_000, cwd: REPO_ROOT });
  if (run.code !== 0) throw new Error(`probeRunner exit ${run.code ?? run.signal}: ${run.stderr}`);
  return JSON.parse(run.stdout) as { results: ProbeOutcome[]; elapsedMs: number; probeMs: number[] };
}

// ------------------------------------------------------------------------------- strongSwan

export interface Charon {
  process: LabProcess;
  /** Loads a swanctl.conf through vici; resolves once charon acknowledged it. */
  load(swanctlConf: string): Promise<void>;
}

/**
 * charon with its own strongswan.conf (log to stderr, vici socket in `dir`). Ready = it logged the
 * worker threads (after the IKE sockets are bound) and `ss` sees UDP 500 and 4500.
 * charon refuses to start while /var/run/charon.pid names a live charon (the path is compiled in),
 * so it runs in its own mount namespace with a private tmpfs on /run: it neither sees nor
 * disturbs another charon on the machine (a developer's, or another test's).
 */
export async function startCharon(ns: Netns, dir: string): Promise<Charon> {
  const vici = `unix://${join(dir, 'charon.vici')}`;
  const conf = join(dir, 'strongswan.conf');
  writeFileSync(
    conf,
    `charon {\n  filelog {\n    stderr {\n      default = 1\n      ike = 2\n      cfg = 2\n    }\n  }\n  syslog {\n  }\n` +
      `  install_routes = no\n  plugins {\n    vici {\n      socket = ${vici}\n    }\n    stroke {\n      load = no\n    }\n  }\n}\n`,
  );
  const env = { ...process.env, STRONGSWAN_CONF: conf };
  if (!CHARON_PATH) throw new Error('strongSwan charon is not installed');
  const privateRun = 'mount -t tmpfs nd-charon-run /run && { [ -L /var/run ] || mount -t tmpfs nd-charon-run /var/run; } && exec "$0"';
  const proc = ns.spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', privateRun, CHARON_PATH], { env });
  await proc.waitForOutput(/spawning \d+ worker threads/, 15_000);
  await waitForSocket(ns, 'udp', 500);
  await waitForSocket(ns, 'udp', 4500);
  return {
    process: proc,
    async load(swanctlConf: string): Promise<void> {
      const file = join(dir, 'swanctl.conf');
      writeFileSync(file, swanctlConf);
      await ns.check('swanctl', ['--load-all', '--noprompt', '--file', file, '--uri', vici], { env, timeoutMs: 15_000 });
    },
  };
}

// ------------------------------------------------------------------------------- OpenVPN

/** A throwaway CA and server certificate (EC P-256) for OpenVPN and TLS listeners. */
export function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const ca = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const ext = join(dir, 'server.ext');
  const openssl = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=NAT Doctor lab CA', '-keyout', caKey, '-out', ca]);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=vpn.lab.example', '-keyout', key, '-out', csr]);
  writeFileSync(ext, 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:vpn.lab.example\n');
  openssl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', cert]);
  return { ca, cert, key };
}

export interface OpenVpnServerOptions {
  address: string;
  port: number;
  proto: 'udp' | 'tcp';
  /** `tls-auth FILE 0` or `tls-crypt FILE`, with the key file path. */
  wrapping?:
    | { kind: 'tls-auth'; keyFile: string; direction: 0 | 1; auth?: string }
    | { kind: 'tls-crypt'; keyFile: string }
    | { kind: 'tls-crypt-v2'; serverKeyFile: string };
  /** Tunnel subnet (100.64.0.0/10 only), distinct per server in one namespace. */
  subnet: string;
  certs: { ca: string; cert: string; key: string };
}

/** OpenVPN 2.6 in server mode. Ready = "Initialization Sequence Completed" (sockets are bound by then). */
export async function startOpenVpn(ns: Netns, o: OpenVpnServerOptions): Promise<LabProcess> {
  const args = [
    '--mode', 'server', '--tls-server',
    '--proto', o.proto === 'udp' ? 'udp4' : 'tcp4-server',
    '--local', o.address, '--port', String(o.port),
    '--dev', 'tun', '--topology', 'subnet', '--server', o.subnet, '255.255.255.0',
    '--ca', o.certs.ca, '--cert', o.certs.cert, '--key', o.certs.key, '--dh', 'none',
    '--verb', '4',
  ];
  if (o.wrapping?.kind === 'tls-auth') args.push('--tls-auth', o.wrapping.keyFile, String(o.wrapping.direction), ...(o.wrapping.auth ? ['--auth', o.wrapping.auth] : []));
  if (o.wrapping?.kind === 'tls-crypt') args.push('--tls-crypt', o.wrapping.keyFile);
  if (o.wrapping?.kind === 'tls-crypt-v2') args.push('--tls-crypt-v2', o.wrapping.serverKeyFile);
  const proc = ns.spawn('openvpn', args);
  await proc.waitForOutput(/Initialization Sequence Completed/, 20_000);
  return proc;
}

/** `openvpn --genkey` a tls-crypt-v2 server key and one client key for it; returns both paths. */
export function makeTlsCryptV2Keys(dir: string): { serverKey: string; clientKey: string } {
  const serverKey = join(dir, 'tc2-server.key');
  const clientKey = join(dir, 'tc2-client.key');
  execFileSync('openvpn', ['--genkey', 'tls-crypt-v2-server', serverKey], { stdio: 'ignore' });
  execFileSync('openvpn', ['--tls-crypt-v2', serverKey, '--genkey', 'tls-crypt-v2-client', clientKey], { stdio: 'ignore' });
  return { serverKey, clientKey };
}

// ------------------------------------------------------------------------------- WireGuard

export interface WireGuardServer {
  process: LabProcess;
  ifname: string;
  /** `wg show IF DUMP-FIELD` output, e.g. latest-handshakes or endpoints. */
  show(field: 'latest-handshakes' | 'endpoints'): Promise<string>;
}

/**
 * wireguard-go in the foreground on a per-process interface name (its UAPI socket lives in the
 * shared /var/run/wireguard). Ready = `wg set` applied the keys through that socket and `ss` sees
 * the UDP port bound.
 */
export async function startWireGuard(
  ns: Netns,
  dir: string,
  o: { privateKey: string; port: number; address: string; peers: Array<{ publicKey: string; presharedKey?: string; allowedIp: string }> },
): Promise<WireGuardServer> {
  const ifname = `ndwg${process.pid % 100000}`;
  const proc = ns.spawn('wireguard-go', ['-f', ifname], { env: { ...process.env, LOG_LEVEL: 'verbose' } });
  await proc.waitForOutput(/UAPI listener started/, 10_000);
  const keyFile = join(dir, 'wg.key');
  writeFileSync(keyFile, `${o.privateKey}\n`, { mode: 0o600 });
  const args = ['set', ifname, 'private-key', keyFile, 'listen-port', String(o.port)];
  o.peers.forEach((p, i) => {
    args.push('peer', p.publicKey, 'allowed-ips', p.allowedIp);
    if (p.presharedKey) {
      const pskFile = join(dir, `psk${i}`);
      writeFileSync(pskFile, `${p.presharedKey}\n`, { mode: 0o600 });
      args.push('preshared-key', pskFile);
    }
  });
  await ns.check('wg', args);
  await ns.check('ip', ['addr', 'add', o.address, 'dev', ifname]);
  await ns.check('ip', ['link', 'set', ifname, 'up']);
  await waitForSocket(ns, 'udp', o.port);
  return {
    process: proc,
    ifname,
    async show(field): Promise<string> {
      return (await ns.check('wg', ['show', ifname, field])).stdout;
    },
  };
}

// ------------------------------------------------------------------------------- coturn as TURN

/** coturn with long-term credentials for `user`. Ready = it answered a real Binding Request. */
export async function startTurnServer(ns: Netns, dir: string, o: { address: string; port: number; user: string; password: string; realm: string }): Promise<LabProcess> {
  const args = [
    '-n', '--listening-ip', o.address, '--relay-ip', o.address, '--listening-port', String(o.port),
    '--no-tcp', '--no-tls', '--no-dtls', '--no-cli', '--lt-cred-mech', '--realm', o.realm,
    '--user', `${o.user}:${o.password}`,
    '--log-file=stdout', '--simple-log',
    '--pidfile', join(dir, 'turnserver.pid'), '--userdb', join(dir, 'turndb'),
  ];
  const proc = ns.spawn('turnserver', args);
  await Promise.race([
    stunPingIn(ns, o.address, o.port, 10_000),
    proc.exited.then(({ code }) => {
      throw new Error(`turnserver exited (${code}) before answering:\n${proc.tail()}`);
    }),
  ]);
  return proc;
}

// ------------------------------------------------------------------------------- TCP / TLS listeners

/** A Node TCP (or TLS) listener in `ns` that prints "listening" once bound. */
export async function startListener(ns: Netns, o: { address: string; port: number; tls?: { cert: string; key: string } }): Promise<LabProcess> {
  const code = o.tls
    ? `const fs=require('fs');const s=require('tls').createServer({cert:fs.readFileSync(${JSON.stringify(o.tls.cert)}),key:fs.readFileSync(${JSON.stringify(o.tls.key)})},c=>{c.on('error',()=>{});c.end()});`
    : `const s=require('net').createServer(c=>{c.on('error',()=>{});c.resume();c.end()});`;
  const proc = ns.spawn(process.execPath, ['-e', `${code}s.listen(${o.port},${JSON.stringify(o.address)},()=>console.log('listening'));`]);
  await proc.waitForOutput(/listening/, 10_000);
  return proc;
}

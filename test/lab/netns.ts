// Network namespaces for the lab, owned by a `Lab` that deletes every namespace and stops every
// process it started in `close()`. Names carry a per-process prefix (`nd<pid>-<n>-<label>`) so
// concurrent test runs never collide. `close()` must run even when a test fails: call it from
// `after()` / `t.after()`; a process 'exit' hook (and SIGINT/SIGTERM) is the safety net.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunOptions {
  /** Kill the command after this long (default 30 s): every wait in the lab is bounded. */
  timeoutMs?: number;
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface RunResult {
  command: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export class LabCommandError extends Error {
  constructor(readonly result: RunResult) {
    super(
      `lab command failed (${result.timedOut ? 'timed out' : `exit ${result.code ?? result.signal}`}): ` +
        `${result.command}\n${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 2_000;
/** Leftover namespaces of a dead process are removed only when this old (see sweepStaleNamespaces). */
const STALE_AGE_MS = 30 * 60_000;

let namespaceCounter = 0;
const openLabs = new Set<Lab>();

/** A long-running process started by the lab (coturn, a responder, the CLI under test). */
export class LabProcess {
  private out = '';
  private err = '';
  private readonly waiters = new Set<() => void>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitCode: number | null | undefined = undefined;

  constructor(
    readonly child: ChildProcess,
    readonly description: string,
  ) {
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.append('out', chunk));
    child.stderr?.on('data', (chunk: string) => this.append('err', chunk));
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.exitCode = code;
        resolve({ code, signal });
        this.notify();
      });
      child.once('error', () => {
        this.exitCode = null;
        resolve({ code: null, signal: null });
        this.notify();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
  get stdout(): string {
    return this.out;
  }
  get stderr(): string {
    return this.err;
  }
  get running(): boolean {
    return this.exitCode === undefined;
  }

  private append(stream: 'out' | 'err', chunk: string): void {
    if (stream === 'out') this.out += chunk;
    else this.err += chunk;
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves with the match once stdout+stderr match `pattern`; rejects on exit or timeout. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = (this.out + this.err).match(pattern);
        if (match) {
          done();
          resolve(match);
        } else if (!this.running) {
          done();
          reject(new Error(`${this.description} exited (${this.exitCode}) before printing ${pattern}:\n${this.tail()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.description} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The last lines of output, for error messages. */
  tail(lines = 20): string {
    return (this.out + this.err).split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM to the process group, SIGKILL after a grace period; resolves when it has exited. */
  async stop(): Promise<void> {
    if (!this.running) return;
    killGroup(this.child, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS);
    });
    const outcome = await Promise.race([this.exited, grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      killGroup(this.child, 'SIGKILL');
      await this.exited;
    }
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // detached: the child leads its own process group
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** One network namespace of a lab. */
export class Netns {
  constructor(
    readonly lab: Lab,
    readonly name: string,
    readonly label: string,
  ) {}

  /** Runs a command inside the namespace and waits for it (bounded). */
  run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return this.lab.runCommand('ip', ['netns', 'exec', this.name, command, ...args], options);
  }

  /** Like `run`, but throws `LabCommandError` unless the command exits 0. */
  async check(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await this.run(command, args, options);
    if (result.code !== 0) throw new LabCommandError(result);
    return result;
  }

  /** Starts a long-running command inside the namespace; the lab stops it in `close()`. */
  spawn(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): LabProcess {
    return this.lab.spawnTracked('ip', ['netns', 'exec', this.name, command, ...args], options);
  }

  /** `ip -n NS …` */
  async ip(...args: string[]): Promise<void> {
    await this.lab.checkCommand('ip', ['-n', this.name, ...args]);
  }

  async addAddress(ifname: string, cidr: string): Promise<void> {
    await this.ip('addr', 'add', cidr, 'dev', ifname);
  }

  async linkUp(ifname: string): Promise<void> {
    await this.ip('link', 'set', ifname, 'up');
  }

  async addRoute(destination: string, via: string): Promise<void> {
    await this.ip('route', 'add', destination, 'via', via);
  }

  async sysctl(key: string, value: string | number): Promise<void> {
    await this.check('sysctl', ['-q', '-w', `${key}=${value}`]);
  }

  /** Loads an nftables script (`nft -f -`) into the namespace. */
  async nft(script: string): Promise<void> {
    await this.check('nft', ['-f', '-'], { input: script });
  }

  /** Replaces everything nftables holds in this namespace. */
  async nftReplace(script: string): Promise<void> {
    await this.nft(`flush ruleset\n${script}`);
  }
}

/** Owns namespaces and processes; `close()` removes them all. */
export class Lab {
  private readonly namespaces: Netns[] = [];
  private readonly processes = new Set<LabProcess>();
  private readonly tempDirs: string[] = [];
  private closed = false;

  constructor() {
    installSafetyNet();
    sweepStaleNamespaces();
    openLabs.add(this);
  }

  /** Creates a namespace `nd<pid>-<n>-<label>` with loopback up. */
  async addNamespace(label: string): Promise<Netns> {
    if (this.closed) throw new Error('lab already closed');
    if (!/^[a-z0-9]{1,12}$/.test(label)) throw new Error(`namespace label must be [a-z0-9]{1,12}: ${label}`);
    const name = `nd${process.pid}-${++namespaceCounter}-${label}`;
    await this.checkCommand('ip', ['netns', 'add', name]);
    const ns = new Netns(this, name, label);
    this.namespaces.push(ns);
    await ns.linkUp('lo');
    return ns;
  }

  get namespaceNames(): string[] {
    return this.namespaces.map((ns) => ns.name);
  }

  /** A veth pair between two namespaces: `aIf` in `a`, `bIf` in `b`, both up. */
  async link(a: Netns, aIf: string, b: Netns, bIf: string): Promise<void> {
    await this.checkCommand('ip', ['-n', a.name, 'link', 'add', aIf, 'type', 'veth', 'peer', 'name', bIf, 'netns', b.name]);
    await a.linkUp(aIf);
    await b.linkUp(bIf);
  }

  /** Runs a command in the host namespace (bounded). */
  runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const started = Date.now();
    const description = [command, ...args].join(' ');
    const proc = this.spawnTracked(command, args, options);
    if (options.input !== undefined) proc.child.stdin?.end(options.input);
    else proc.child.stdin?.end();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void proc.stop();
    }, timeoutMs);
    return proc.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      return { command: description, code, signal, stdout: proc.stdout, stderr: proc.stderr, durationMs: Date.now() - started, timedOut };
    });
  }

  async checkCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await this.runCommand(command, args, options);
    if (result.code !== 0) throw new LabCommandError(result);
    return result;
  }

  /** Spawns a tracked process (own process group) that `close()` will stop. */
  spawnTracked(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): LabProcess {
    if (this.closed) throw new Error('lab already closed');
    const child = spawn(command, [...args], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    const proc = new LabProcess(child, [command, ...args].join(' '));
    this.processes.add(proc);
    void proc.exited.then(() => this.processes.delete(proc));
    return proc;
  }

  /** Stops every process (SIGTERM, then SIGKILL) and deletes every namespace. Idempotent. */
  /** A temporary folder (configs, pid and lease files) removed with the lab, even on failure. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `nat-doctor-${prefix}-`));
    this.tempDirs.push(dir);
    return dir;
  }

  private removeTempDirs(): void {
    for (const dir of this.tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.processes].map((p) => p.stop()));
    for (const ns of this.namespaces.reverse()) {
      killNamespacePids(ns.name);
      spawnSync('ip', ['netns', 'del', ns.name], { stdio: 'ignore' });
    }
    this.namespaces.length = 0;
    this.removeTempDirs();
    openLabs.delete(this);
  }

  /** Synchronous last-resort cleanup for the process 'exit' hook. */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    for (const proc of this.processes) killGroup(proc.child, 'SIGKILL');
    for (const ns of this.namespaces.reverse()) {
      killNamespacePids(ns.name);
      spawnSync('ip', ['netns', 'del', ns.name], { stdio: 'ignore' });
    }
    this.removeTempDirs();
    openLabs.delete(this);
  }
}

/** Creates a lab and registers its `close()` with node:test's `after` (suite or test context). */
export function createLab(after: (fn: () => Promise<void>) => void): Lab {
  const lab = new Lab();
  after(() => lab.close());
  return lab;
}

/** SIGKILLs what is still inside one of *our* namespaces (processes we started, or their children). */
function killNamespacePids(name: string): void {
  const listed = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' });
  for (const line of (listed.stdout ?? '').split('\n')) {
    const pid = Number.parseInt(line, 10);
    if (Number.isInteger(pid) && pid > 1 && pid !== process.pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
}

let safetyNetInstalled = false;
function installSafetyNet(): void {
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  process.on('exit', () => {
    for (const lab of [...openLabs]) lab.closeSync();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const lab of [...openLabs]) lab.closeSync();
      process.kill(process.pid, signal); // default action now that our handler is gone
    });
  }
}

let swept = false;
/**
 * Removes lab namespaces left by a lab process that died without cleaning up (SIGKILL): only
 * names of our form `nd<pid>-…` whose pid is gone and which are older than STALE_AGE_MS, so a
 * concurrent run (even in another pid namespace) is never touched.
 */
export function sweepStaleNamespaces(): void {
  if (swept) return;
  swept = true;
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const line of (listed.stdout ?? '').split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const match = /^nd(\d+)-\d+-[a-z0-9]+$/.exec(name);
    if (!match) continue;
    const owner = Number(match[1]);
    if (owner === process.pid || isAlive(owner)) continue;
    let ageMs = 0;
    try {
      ageMs = Date.now() - statSync(`/run/netns/${name}`).mtimeMs;
    } catch {
      continue;
    }
    if (ageMs < STALE_AGE_MS) continue;
    killNamespacePids(name);
    spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

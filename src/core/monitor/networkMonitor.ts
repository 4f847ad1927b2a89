// Decides when the status bar's quick check runs: once at start, again shortly after the network
// attachment changes, and every `intervalMs`. Polling reads only the local interface table
// (networkFingerprint), so nothing is sent while the network stays the same between interval
// checks. While offline nothing runs; after a failed check it retries with exponential backoff.
// Never two checks at once: a trigger during a check is remembered and runs once afterwards.
// With `jitter`, each periodic wait is drawn around the interval, so machines started together
// (a fleet after a reboot or a rollout, docs/fleet.md) drift apart instead of checking at once.
// Pure: the clock, the random source, the interface reader and the check itself are injected
// (unit-tested with a fake clock in test/unit/monitor).
import { networkFingerprint, type InterfaceTable, type NetworkFingerprint } from './networkFingerprint';

export type CheckReason = 'startup' | 'network-change' | 'back-online' | 'interval' | 'retry' | 'settings-change';
export type CheckOutcome = 'ok' | 'failed';
export type MonitorState = 'idle' | 'checking' | 'offline' | 'stopped';

export interface MonitorClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: MonitorClock = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending poll must not keep a CLI or test process alive.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface NetworkMonitorOptions {
  readInterfaces: () => InterfaceTable;
  runCheck: (reason: CheckReason) => Promise<CheckOutcome>;
  /** Periodic check; 0 turns periodic checks off (network changes still trigger one). */
  intervalMs: number;
  /** Each periodic or retry wait is drawn in wait × (1 ± jitter), uniformly (0 to 0.5; default 0: exact). */
  jitter?: number;
  /** Uniform in [0, 1); default Math.random. */
  random?: () => number;
  /** How often the interface table is read. */
  pollMs?: number;
  /** Wait after a change before checking: DHCP and routes settle in a few hundred ms. */
  settleMs?: number;
  /** First retry delay after a failed check; doubles up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  clock?: MonitorClock;
  onStateChange?: (state: MonitorState) => void;
  log?: (message: string) => void;
}

export class NetworkMonitor {
  private readonly pollMs: number;
  private readonly settleMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly clock: MonitorClock;
  private readonly jitter: number;
  private readonly random: () => number;
  private intervalMs: number;

  private pollTimer: unknown;
  private checkTimer: unknown;
  private lastFingerprint: NetworkFingerprint | undefined;
  private checking = false;
  private pendingReason: CheckReason | undefined;
  private consecutiveFailures = 0;
  private state: MonitorState = 'idle';
  private checkCount = 0;

  constructor(private readonly options: NetworkMonitorOptions) {
    this.intervalMs = Math.max(0, options.intervalMs);
    this.pollMs = options.pollMs ?? 5_000;
    this.settleMs = options.settleMs ?? 300;
    this.initialBackoffMs = options.initialBackoffMs ?? 30_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30 * 60_000;
    this.clock = options.clock ?? realClock;
    this.jitter = Math.min(0.5, Math.max(0, options.jitter ?? 0));
    this.random = options.random ?? Math.random;
  }

  get currentState(): MonitorState {
    return this.state;
  }

  /** How many checks this monitor has started (for tests and the bench). */
  get checksStarted(): number {
    return this.checkCount;
  }

  start(): void {
    if (this.state === 'stopped') return;
    this.lastFingerprint = networkFingerprint(this.options.readInterfaces());
    // On the next turn, not inside start(): the extension calls start() during activation, and the
    // first check (loading the engine, opening sockets) must not count against activation time.
    if (this.lastFingerprint.online) this.checkTimer = this.clock.setTimeout(() => this.trigger('startup'), 0);
    else this.setState('offline');
    this.schedulePoll();
  }

  stop(): void {
    this.clock.clearTimeout(this.pollTimer);
    this.clock.clearTimeout(this.checkTimer);
    this.pollTimer = undefined;
    this.checkTimer = undefined;
    this.pendingReason = undefined;
    this.setState('stopped');
  }

  setIntervalMs(intervalMs: number): void {
    this.intervalMs = Math.max(0, intervalMs);
    if (!this.checking && this.state === 'idle') this.scheduleNext('ok');
  }

  /**
   * A check ran outside the monitor (the user's Quick Check): count it as the periodic one so the
   * next interval starts from now instead of checking again moments later.
   */
  noteExternalCheck(outcome: CheckOutcome): void {
    if (this.state === 'stopped' || this.checking) return;
    this.consecutiveFailures = outcome === 'ok' ? 0 : this.consecutiveFailures;
    this.scheduleNext(outcome);
  }

  /** Asks for a check now (coalesced with one in flight). */
  trigger(reason: CheckReason): void {
    if (this.state === 'stopped') return;
    if (this.checking) {
      // Remember one rerun; a network change outranks a timer.
      if (this.pendingReason === undefined || reason === 'network-change' || reason === 'back-online' || reason === 'settings-change') {
        this.pendingReason = reason;
      }
      return;
    }
    this.clock.clearTimeout(this.checkTimer);
    this.checkTimer = undefined;
    void this.runCheck(reason);
  }

  private async runCheck(reason: CheckReason): Promise<void> {
    this.checking = true;
    this.checkCount += 1;
    this.setState('checking');
    let outcome: CheckOutcome;
    try {
      outcome = await this.options.runCheck(reason);
    } catch (error) {
      this.options.log?.(`monitor: check (${reason}) failed: ${error instanceof Error ? error.message : String(error)}`);
      outcome = 'failed';
    }
    this.checking = false;
    if (this.state === 'stopped') return;
    this.consecutiveFailures = outcome === 'ok' ? 0 : this.consecutiveFailures + 1;
    const online = this.lastFingerprint?.online ?? true;
    this.setState(online ? 'idle' : 'offline');
    const pending = this.pendingReason;
    this.pendingReason = undefined;
    if (pending !== undefined && online) {
      this.trigger(pending);
      return;
    }
    this.scheduleNext(outcome);
  }

  /** Plans the next timed check: a backoff retry after a failure, else the periodic interval. */
  private scheduleNext(outcome: CheckOutcome): void {
    this.clock.clearTimeout(this.checkTimer);
    this.checkTimer = undefined;
    if (this.state === 'offline' || this.state === 'stopped') return;
    if (outcome === 'failed' && this.consecutiveFailures > 0) {
      const backoff = Math.min(this.initialBackoffMs * 2 ** (this.consecutiveFailures - 1), this.maxBackoffMs);
      // Never retry more often than the user asked to be checked.
      const delay = this.intervalMs > 0 ? Math.min(backoff, this.intervalMs) : backoff;
      // Jittered too: machines that lost the network together must not all retry together.
      this.checkTimer = this.clock.setTimeout(() => this.trigger('retry'), this.jittered(delay));
      return;
    }
    if (this.intervalMs > 0) {
      this.checkTimer = this.clock.setTimeout(() => this.trigger('interval'), this.jittered(this.intervalMs));
    }
  }

  private jittered(ms: number): number {
    return Math.round(ms * (1 + this.jitter * (2 * this.random() - 1)));
  }

  private schedulePoll(): void {
    this.pollTimer = this.clock.setTimeout(() => this.poll(), this.pollMs);
  }

  private poll(): void {
    if (this.state === 'stopped') return;
    const next = networkFingerprint(this.options.readInterfaces());
    const previous = this.lastFingerprint;
    this.lastFingerprint = next;
    if (previous === undefined || next.key !== previous.key) {
      if (!next.online) {
        this.options.log?.('monitor: no routable address; checks paused until the network is back');
        this.clock.clearTimeout(this.checkTimer);
        this.checkTimer = undefined;
        this.consecutiveFailures = 0;
        if (!this.checking) this.setState('offline');
      } else {
        const reason: CheckReason = previous?.online === false ? 'back-online' : 'network-change';
        this.options.log?.(`monitor: network changed (${next.routableAddresses} routable addresses); checking`);
        if (this.state === 'offline') this.setState('idle');
        this.clock.clearTimeout(this.checkTimer);
        this.checkTimer = this.clock.setTimeout(() => this.trigger(reason), this.settleMs);
      }
    }
    this.schedulePoll();
  }

  private setState(state: MonitorState): void {
    if (this.state === state) return;
    if (this.state === 'stopped') return;
    this.state = state;
    this.options.onStateChange?.(state);
  }
}

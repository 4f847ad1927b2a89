import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { networkFingerprint, type InterfaceTable } from '../../../src/core/monitor/networkFingerprint';
import { NetworkMonitor, type CheckOutcome, type CheckReason, type MonitorClock } from '../../../src/core/monitor/networkMonitor';
import { SingleFlight } from '../../../src/core/monitor/singleFlight';

/** A clock the test moves by hand, so minutes of monitoring run in microseconds. */
class ManualClock implements MonitorClock {
  now = 0;
  private timers = new Map<number, { due: number; callback: () => void }>();
  private nextId = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { due: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Runs every timer due within `ms`, in order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await flush();
      const next = [...this.timers.entries()].filter(([, t]) => t.due <= end).sort((a, b) => a[1].due - b[1].due)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.now = next[1].due;
      next[1].callback();
    }
    this.now = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

const wifi: InterfaceTable = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, cidr: '127.0.0.1/8' }],
  wlan0: [
    { address: '192.168.1.20', family: 'IPv4', internal: false, cidr: '192.168.1.20/24' },
    { address: 'fe80::1', family: 'IPv6', internal: false, cidr: 'fe80::1/64' },
  ],
};
const wifiPlusVpn: InterfaceTable = { ...wifi, wg0: [{ address: '10.8.0.2', family: 'IPv4', internal: false, cidr: '10.8.0.2/32' }] };
const offline: InterfaceTable = { lo: wifi.lo, wlan0: [{ address: 'fe80::1', family: 'IPv6', internal: false, cidr: 'fe80::1/64' }] };

function harness(options: { intervalMs: number; outcome?: () => CheckOutcome; checkMs?: number; jitter?: number; random?: () => number }) {
  const clock = new ManualClock();
  let table: InterfaceTable = wifi;
  const checks: { reason: CheckReason; at: number }[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const monitor = new NetworkMonitor({
    readInterfaces: () => table,
    runCheck: async (reason) => {
      checks.push({ reason, at: clock.now });
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await new Promise<void>((resolve) => clock.setTimeout(resolve, options.checkMs ?? 100));
      concurrent -= 1;
      return options.outcome?.() ?? 'ok';
    },
    intervalMs: options.intervalMs,
    pollMs: 1_000,
    settleMs: 200,
    initialBackoffMs: 10_000,
    maxBackoffMs: 40_000,
    clock,
    ...(options.jitter !== undefined ? { jitter: options.jitter } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  return {
    clock, monitor, checks,
    setTable: (next: InterfaceTable) => { table = next; },
    maxConcurrent: () => maxConcurrent,
  };
}

describe('network fingerprint', () => {
  it('ignores loopback, link-local addresses and enumeration order', () => {
    const a = networkFingerprint(wifi);
    const reordered = networkFingerprint({ wlan0: [...(wifi.wlan0 ?? [])].reverse(), lo: wifi.lo });
    assert.equal(a.key, reordered.key);
    assert.equal(a.online, true);
    assert.equal(a.routableAddresses, 1);
  });

  it('changes when a VPN interface comes up and reports offline with only link-local addresses', () => {
    assert.notEqual(networkFingerprint(wifi).key, networkFingerprint(wifiPlusVpn).key);
    assert.equal(networkFingerprint(offline).online, false);
  });
});

describe('network monitor', () => {
  it('checks once at start and sends nothing while the network stays unchanged until the interval', async () => {
    const h = harness({ intervalMs: 60_000 });
    h.monitor.start();
    await h.clock.advance(59_000);
    assert.deepEqual(h.checks.map((c) => c.reason), ['startup']);
    await h.clock.advance(2_000);
    assert.deepEqual(h.checks.map((c) => c.reason), ['startup', 'interval']);
    h.monitor.stop();
  });

  it('checks within a second of a network change being polled', async () => {
    const h = harness({ intervalMs: 600_000 });
    h.monitor.start();
    await h.clock.advance(5_000);
    h.setTable(wifiPlusVpn);
    const changedAt = h.clock.now;
    await h.clock.advance(3_000);
    const change = h.checks.find((c) => c.reason === 'network-change');
    assert.ok(change, 'a check follows the change');
    // Poll period (1 s) + settle (200 ms) bound the delay.
    assert.ok(change.at - changedAt <= 1_200, `checked ${change.at - changedAt} ms after the change`);
    assert.equal(h.checks.length, 2);
    h.monitor.stop();
  });

  it('never runs two checks at once and coalesces triggers during a check into one rerun', async () => {
    const h = harness({ intervalMs: 600_000, checkMs: 5_000 });
    h.monitor.start();
    await h.clock.advance(1_000);
    h.monitor.trigger('interval');
    h.monitor.trigger('interval');
    h.setTable(wifiPlusVpn);
    await h.clock.advance(20_000);
    assert.equal(h.maxConcurrent(), 1);
    assert.deepEqual(h.checks.map((c) => c.reason), ['startup', 'network-change']);
    h.monitor.stop();
  });

  it('pauses while offline and checks again when the network is back', async () => {
    const h = harness({ intervalMs: 30_000 });
    h.monitor.start();
    await h.clock.advance(1_000);
    h.setTable(offline);
    await h.clock.advance(120_000);
    assert.equal(h.monitor.currentState, 'offline');
    assert.deepEqual(h.checks.map((c) => c.reason), ['startup']);
    h.setTable(wifi);
    await h.clock.advance(2_000);
    assert.deepEqual(h.checks.map((c) => c.reason), ['startup', 'back-online']);
    h.monitor.stop();
  });

  it('backs off exponentially after failed checks, capped', async () => {
    const h = harness({ intervalMs: 3_600_000, outcome: () => 'failed', checkMs: 0 });
    h.monitor.start();
    await h.clock.advance(200_000);
    const gaps = h.checks.slice(1).map((c, i) => c.at - (h.checks[i]?.at ?? 0));
    assert.deepEqual(gaps.slice(0, 5), [10_000, 20_000, 40_000, 40_000, 40_000]);
    h.monitor.stop();
  });

  it('draws each periodic wait within interval ± jitter, so a fleet started together drifts apart', async () => {
    const draws = [0, 0.5, 0.999_999];
    let i = 0;
    const h = harness({ intervalMs: 100_000, checkMs: 0, jitter: 0.1, random: () => draws[i++ % draws.length] ?? 0 });
    h.monitor.start();
    await h.clock.advance(400_000);
    const gaps = h.checks.slice(1).map((c, k) => c.at - (h.checks[k]?.at ?? 0));
    assert.deepEqual(gaps.slice(0, 3), [90_000, 100_000, 110_000]);
    assert.ok(h.checks.every((c, k) => k === 0 || c.reason === 'interval'));
    h.monitor.stop();

    // Retries after failed checks are drawn the same way: a fleet that lost the network together
    // does not come back all at once.
    const failing = harness({ intervalMs: 3_600_000, outcome: () => 'failed', checkMs: 0, jitter: 0.1, random: () => 0 });
    failing.monitor.start();
    await failing.clock.advance(100_000);
    const retryGaps = failing.checks.slice(1).map((c, k) => c.at - (failing.checks[k]?.at ?? 0));
    assert.deepEqual(retryGaps.slice(0, 3), [9_000, 18_000, 36_000]);
    failing.monitor.stop();
  });

  it('does not start at all while offline at start', async () => {
    const h = harness({ intervalMs: 10_000 });
    h.setTable(offline);
    h.monitor.start();
    await h.clock.advance(60_000);
    assert.equal(h.checks.length, 0);
    h.monitor.stop();
  });
});

describe('single flight', () => {
  it('shares one in-flight run between callers', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let release: () => void = () => undefined;
    const task = () => new Promise<number>((resolve) => { runs += 1; release = () => resolve(runs); });
    const first = flight.run(task);
    const second = flight.run(task);
    assert.equal(flight.running, true);
    release();
    assert.deepEqual(await Promise.all([first, second]), [1, 1]);
    assert.equal(flight.running, false);
    await flight.run(async () => 2);
    assert.equal(runs, 1);
  });
});

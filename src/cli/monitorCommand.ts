// `nat-doctor monitor`: a diagnosis at start, again when the network changes and every --every,
// until SIGINT/SIGTERM (docs/fleet.md). The schedule is the extension's status-bar monitor
// (NetworkMonitor): between runs it only reads the local interface table, so nothing is sent
// while the network stays the same. With --textfile each run replaces FILE, in the Prometheus
// format, for node_exporter's textfile collector; without it each run prints one line on stdout.
import { networkInterfaces } from 'node:os';
import { diagnose, DiagnosisCancelled, formatPrometheusReport, formatSummaryLine, NetworkMonitor, type CheckOutcome, type CheckReason, type MonitorClock } from '../core';
import { DIAGNOSIS_FLAGS, diagnosisCouldNotRun, diagnosisPlan } from './diagnosisFlags';
import { parseDuration } from './duration';
import { checkTextfilePath, writeFileAtomically } from './textfile';
import { EXIT_OK, UsageError, parseCommandLine, type CliIo } from './usage';

export const MONITOR_USAGE =
  'nat-doctor monitor [--every DURATION] [--textfile FILE] [--stun HOST:PORT]... [--probe HOST:PORT/PROTOCOL]...\n' +
  '                   [--user NAME] [--lifetime] [--hairpinning] [--timeout MS] [--captive-portal URL | --no-captive-portal] [--no-path-mtu]';

const DEFAULT_EVERY = '5m';
/** Each wait is --every ± 10 %: a fleet started together (a reboot, a rollout) drifts apart. */
const JITTER = 0.1;
const MAX_EVERY_MS = 24 * 3_600_000;
/**
 * The default STUN servers and captive-portal URL are public and shared by everyone: a fleet
 * asking them every few seconds is abuse.
 */
const MIN_EVERY_PUBLIC_SERVERS_MS = 60_000;

/**
 * Timers that keep the process alive: the monitor runs until a signal, and its poll timer is the
 * only thing pending between runs (the extension's clock unrefs its timers instead).
 */
const keepAliveClock: MonitorClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export async function runMonitorCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    ...DIAGNOSIS_FLAGS,
    every: { type: 'string' },
    textfile: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(`${MONITOR_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const everyText = values.every ?? DEFAULT_EVERY;
  const everyMs = parseDuration(everyText);
  if (everyMs === undefined) throw new UsageError(`--every expects a duration such as 30s, 5m or 1h, got "${everyText}"`);
  const plan = diagnosisPlan(values, io.env);
  if (everyMs < 1_000 || everyMs > MAX_EVERY_MS) throw new UsageError(`--every must be between 1s and 24h, got ${everyText}`);
  const asksPublicServers = (plan.stunServers?.length ?? 0) === 0 || plan.captivePortalUrl === undefined;
  if (asksPublicServers && everyMs < MIN_EVERY_PUBLIC_SERVERS_MS) {
    throw new UsageError(
      `--every must be at least 1m while public servers are asked (give --stun, and --captive-portal URL or --no-captive-portal), got ${everyText}`,
    );
  }
  const textfile = values.textfile !== undefined ? await checkTextfilePath(values.textfile) : undefined;
  if (textfile?.warning) io.stderr(`nat-doctor monitor: warning: ${textfile.warning}\n`);

  io.stderr(
    `nat-doctor monitor: diagnosing now, when the network changes and every ${everyText} (±${JITTER * 100} %)` +
      `${textfile ? `; writing ${textfile.path}` : ''}\n`,
  );

  const runOnce = async (reason: CheckReason): Promise<CheckOutcome> => {
    try {
      const report = await diagnose({ ...plan, signal: io.signal, ranOn: 'local machine' });
      if (textfile) await writeFileAtomically(textfile.path, formatPrometheusReport(report));
      else io.stdout(`${formatSummaryLine(report)} reason=${reason}\n`);
      // Offline: the monitor retries with backoff (never more often than --every).
      return diagnosisCouldNotRun(report) ? 'failed' : 'ok';
    } catch (err) {
      if (err instanceof DiagnosisCancelled) return 'ok';
      // A file that could not be written, or our bug: say so on one line and keep monitoring.
      io.stderr(`nat-doctor monitor: run (${reason}) failed: ${err instanceof Error ? err.message : String(err)}\n`);
      return 'failed';
    }
  };

  let inFlight: Promise<CheckOutcome> | undefined;
  const monitor = new NetworkMonitor({
    readInterfaces: networkInterfaces,
    runCheck: (reason) => (inFlight = runOnce(reason)),
    intervalMs: everyMs,
    jitter: JITTER,
    clock: keepAliveClock,
    log: (message) => io.stderr(`nat-doctor ${message}\n`),
  });

  // SIGINT/SIGTERM abort io.signal: every socket, timer and child of a diagnosis in flight listens
  // to it, then the monitor's own timers stop, and the process ends when the last of them closes
  // (nothing here forces an exit, so a handle left open would show as a monitor that never ends).
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
    monitor.start();
  });
  monitor.stop();
  await inFlight;
  return EXIT_OK;
}

// nat-doctor: the terminal face of the engine in src/core. Commands, flags and exit statuses are a
// contract that scripts rely on (README "Quick start", the text of cli/usage.ts).
import { EXIT_FAILURE, EXIT_USAGE, UsageError, type CliIo } from './cli/usage';
import { runDiagnoseCommand } from './cli/diagnoseCommand';
import { runProbeCommand } from './cli/probeCommand';
import { runLintCommand } from './cli/lintCommand';
import { runMonitorCommand } from './cli/monitorCommand';
import { runPairCommand } from './cli/pairCommand';
import { stdinLineReader } from './cli/lineReader';
import { TOOL_VERSION } from './core';

const USAGE = `Usage:
  nat-doctor diagnose [--stun HOST:PORT]... [--probe HOST:PORT/PROTOCOL]... [--lifetime]
                      [--json | --markdown | --prometheus] [--timeout MS] [--hairpinning] [--user NAME]
                      [--captive-portal URL | --no-captive-portal] [--no-path-mtu]
  nat-doctor monitor [--every DURATION] [--textfile FILE] [--stun HOST:PORT]...
                     [--probe HOST:PORT/PROTOCOL]... [--lifetime] [--hairpinning] [--timeout MS] [--user NAME]
                     [--captive-portal URL | --no-captive-portal] [--no-path-mtu]
  nat-doctor probe HOST:PORT/PROTOCOL [--config FILE] [--user NAME] [--mtu] [--timeout MS] [--json]
  nat-doctor lint FILE... [--report REPORT.json] [--json]
  nat-doctor pair predict REPORT_A.json REPORT_B.json [--json]
  nat-doctor pair offer  [--stun HOST:PORT]... [--timeout MS] [--port PORT] [--json]
  nat-doctor pair answer TOKEN [--stun HOST:PORT]... [--timeout MS] [--port PORT] [--json]
  nat-doctor --version | --help

PROTOCOL is one of wireguard, openvpn, ike, ike-natt, tcp, tls, stun, turn.
DURATION is like 30s, 5m (the default) or 1h; monitor runs until SIGINT or SIGTERM.
TURN passwords come from the environment variable NAT_DOCTOR_TURN_PASSWORD.
lint --report lints with the measurements of a saved diagnose --json report.`;

type Subcommand = (args: string[], io: CliIo) => Promise<number>;

const SUBCOMMANDS: Record<string, Subcommand> = {
  diagnose: runDiagnoseCommand,
  probe: runProbeCommand,
  lint: runLintCommand,
  monitor: runMonitorCommand,
  pair: runPairCommand,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(USAGE + '\n');
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${TOOL_VERSION}\n`);
    return 0;
  }
  const command = SUBCOMMANDS[name];
  if (!command) {
    io.stderr(`nat-doctor: unknown command "${name}"\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`nat-doctor ${name}: ${err.message}\nRun "nat-doctor --help" for usage.\n`);
      return EXIT_USAGE;
    }
    // Anything else is our bug, not the user's: say so plainly, with the message but no stack.
    io.stderr(`nat-doctor ${name}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  let interrupted = 0;
  const onSignal = (): void => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const lines = stdinLineReader(() => process.stdin, controller.signal);
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    signal: controller.signal,
    readLine: lines.next,
    stdoutIsTTY: process.stdout.isTTY === true,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      lines.close();
      process.exitCode = code;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
    (err: unknown) => {
      lines.close();
      process.stderr.write(`nat-doctor: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}

// `nat-doctor diagnose`: the full report in the terminal, as JSON, or as Markdown.
import { diagnose, DiagnosisCancelled, DEFAULT_TIMEOUT_MS, LIFETIME_TIMEOUT_MS, formatMarkdownReport, formatTextReport, validateServerList, parseProbeTarget } from '../core';
import { TURN_PASSWORD_ENV } from './probeCommand';
import { EXIT_FAILURE, EXIT_OK, UsageError, parseCommandLine, parseIntegerFlag, useColor, type CliIo } from './usage';

export async function runDiagnoseCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    stun: { type: 'string', multiple: true },
    probe: { type: 'string', multiple: true },
    user: { type: 'string' },
    lifetime: { type: 'boolean' },
    hairpinning: { type: 'boolean' },
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(
      'nat-doctor diagnose [--stun HOST:PORT]... [--probe HOST:PORT/PROTOCOL]... [--user NAME] [--lifetime] [--hairpinning]\n' +
        '                    [--json | --markdown] [--timeout MS]\n',
    );
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.json && values.markdown) throw new UsageError('--json and --markdown cannot be used together');
  const stunServers = values.stun ?? [];
  const serverErrors = validateServerList(stunServers);
  if (serverErrors.length > 0) throw new UsageError(`--stun ${serverErrors[0]}`);
  const probes = values.probe ?? [];
  for (const probe of probes) {
    const parsed = parseProbeTarget(probe);
    if ('error' in parsed) throw new UsageError(`--probe ${parsed.error}`);
  }
  // The lifetime measurement leaves mappings idle for minutes: give it room unless told otherwise.
  // TURN probes: the user name by flag, the password only from the environment (never printed).
  let turnCredentials: { user: string; password: string } | undefined;
  if (values.user !== undefined) {
    const password = io.env[TURN_PASSWORD_ENV];
    if (!probes.some((p) => p.toLowerCase().endsWith('/turn'))) throw new UsageError('--user is for TURN probes (--probe HOST:PORT/turn)');
    if (!password) throw new UsageError(`--user needs the password in the environment variable ${TURN_PASSWORD_ENV}`);
    turnCredentials = { user: values.user, password };
  }
  const timeoutMs =
    values.timeout !== undefined
      ? parseIntegerFlag('--timeout', values.timeout, 100, 3_600_000)
      : values.lifetime
        ? LIFETIME_TIMEOUT_MS
        : DEFAULT_TIMEOUT_MS;

  const interactive = process.stderr.isTTY === true;
  try {
    const report = await diagnose({
      stunServers,
      probes,
      measureLifetime: values.lifetime ?? false,
      hairpinning: values.hairpinning ?? false,
      ...(turnCredentials ? { turnCredentials } : {}),
      timeoutMs,
      signal: io.signal,
      ranOn: 'local machine',
      onProgress: (event) => {
        // A terminal gets one self-replacing status line; logs and CI get one line per step.
        if (interactive) io.stderr(event.phase === 'done' ? '\r\x1b[K' : `\r\x1b[K… ${event.message}`);
        else if (event.phase !== 'done') io.stderr(`… ${event.message}\n`);
      },
    });
    if (values.json) io.stdout(JSON.stringify(report, null, 2) + '\n');
    else if (values.markdown) io.stdout(formatMarkdownReport(report));
    else io.stdout(formatTextReport(report, { color: useColor(io) }));
    // Exit 1 only when nothing could even be sent: the diagnosis "could not run at all".
    return report.servers.every((s) => s.address === '') || (report.nat.udp === 'blocked' && report.nat.type === 'unknown')
      ? EXIT_FAILURE
      : EXIT_OK;
  } catch (err) {
    if (err instanceof DiagnosisCancelled) {
      io.stderr('nat-doctor diagnose: cancelled\n');
      return 130;
    }
    throw err;
  }
}

// `nat-doctor diagnose`: the full report in the terminal, as JSON, as Markdown or as Prometheus
// metrics.
import { diagnose, DiagnosisCancelled, formatMarkdownReport, formatPrometheusReport, formatTextReport } from '../core';
import { DIAGNOSIS_FLAGS, diagnosisCouldNotRun, diagnosisPlan } from './diagnosisFlags';
import { EXIT_FAILURE, EXIT_OK, UsageError, parseCommandLine, useColor, type CliIo } from './usage';

export async function runDiagnoseCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    ...DIAGNOSIS_FLAGS,
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    prometheus: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(
      'nat-doctor diagnose [--stun HOST:PORT]... [--probe HOST:PORT/PROTOCOL]... [--user NAME] [--lifetime] [--hairpinning]\n' +
        '                    [--captive-portal URL | --no-captive-portal] [--no-path-mtu] [--json | --markdown | --prometheus] [--timeout MS]\n',
    );
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const formats = (['json', 'markdown', 'prometheus'] as const).filter((f) => values[f]);
  if (formats.length > 1) throw new UsageError(`${formats.map((f) => `--${f}`).join(' and ')} cannot be used together`);
  const plan = diagnosisPlan(values, io.env);

  const interactive = process.stderr.isTTY === true;
  try {
    const report = await diagnose({
      ...plan,
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
    else if (values.prometheus) io.stdout(formatPrometheusReport(report));
    else io.stdout(formatTextReport(report, { color: useColor(io) }));
    return diagnosisCouldNotRun(report) ? EXIT_FAILURE : EXIT_OK;
  } catch (err) {
    if (err instanceof DiagnosisCancelled) {
      io.stderr('nat-doctor diagnose: cancelled\n');
      return 130;
    }
    throw err;
  }
}

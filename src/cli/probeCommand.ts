// nat-doctor probe HOST:PORT/PROTOCOL [--config FILE] [--user NAME] [--timeout MS] [--json]
// (README "Quick start"). The TURN password comes only from NAT_DOCTOR_TURN_PASSWORD:
// a flag would leave it in shell history and `ps`. Neither it nor any key is ever printed.
import { loadProbeConfig, persistentIkeLimiter, parseProbeTarget, probe, toProbeResult, type ProbeOptions, type ProbeOutcome } from '../core';
import { EXIT_OK, UsageError, parseCommandLine, parseIntegerFlag, type CliIo } from './usage';

export const TURN_PASSWORD_ENV = 'NAT_DOCTOR_TURN_PASSWORD';

const OPTIONS = {
  config: { type: 'string' },
  user: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function runProbeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'probe needs a target: HOST:PORT/PROTOCOL' : `probe takes one target, got ${positionals.length}`);
  }
  const target = parseProbeTarget(positionals[0] as string);
  if ('error' in target) throw new UsageError(target.error);

  const options: ProbeOptions = {
    signal: io.signal,
    onProgress: (message) => io.stderr(`${message}\n`),
  };
  // One CLI run is one process: the "3 IKE probes per server per 30 s" record lives in a file.
  if (target.protocol === 'ike' || target.protocol === 'ike-natt') options.ikeLimiter = persistentIkeLimiter(io.env);
  if (values.timeout !== undefined) options.timeoutMs = parseIntegerFlag('--timeout', values.timeout, 100, 60_000);

  if (values.config !== undefined) {
    if (target.protocol !== 'wireguard' && target.protocol !== 'openvpn') {
      throw new UsageError(`--config gives WireGuard or OpenVPN keys; it does not apply to ${target.protocol}`);
    }
    const loaded = await loadProbeConfig(values.config);
    if ('error' in loaded) throw new UsageError(`--config: ${loaded.error}`);
    if (loaded.kind !== target.protocol) throw new UsageError(`--config ${values.config} is a ${loaded.kind} file, but the target protocol is ${target.protocol}`);
    options.config = loaded.config;
  }

  const password = io.env[TURN_PASSWORD_ENV];
  if (values.user !== undefined) {
    if (target.protocol !== 'turn') throw new UsageError('--user is for TURN targets (HOST:PORT/turn)');
    if (!password) throw new UsageError(`--user needs the password in the environment variable ${TURN_PASSWORD_ENV}`);
    options.turnCredentials = { user: values.user, password };
  }

  const result = await probe(target, options);
  // --json: exactly a ProbeResult (the Report's `probes` entry); warnings are also in `detail`.
  if (values.json) io.stdout(`${JSON.stringify(toProbeResult(result), null, 2)}\n`);
  else io.stdout(formatText(result));
  return EXIT_OK;
}

function formatText(r: ProbeOutcome): string {
  const rtt = r.rttMs === null ? '' : `  rtt ${r.rttMs} ms`;
  const lines = [`${r.target}  ${r.state}${rtt}`, `  ${r.detail}`];
  for (const w of r.warnings ?? []) if (!r.detail.includes(w)) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

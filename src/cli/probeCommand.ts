// nat-doctor probe HOST:PORT/PROTOCOL [--config FILE] [--user NAME] [--mtu] [--timeout MS] [--json]
// (README "Quick start"). The TURN password comes only from NAT_DOCTOR_TURN_PASSWORD:
// a flag would leave it in shell history and `ps`. Neither it nor any key is ever printed.
import { loadProbeConfig, measureEndpointMtu, persistentIkeLimiter, parseProbeTarget, probe, toProbeResult, type PathMtu, type ProbeOptions, type ProbeOutcome } from '../core';
import { EXIT_OK, UsageError, parseCommandLine, parseIntegerFlag, type CliIo } from './usage';

export const TURN_PASSWORD_ENV = 'NAT_DOCTOR_TURN_PASSWORD';

const OPTIONS = {
  config: { type: 'string' },
  user: { type: 'string' },
  timeout: { type: 'string' },
  mtu: { type: 'boolean' },
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
  const pathMtu = values.mtu ? await measureEndpointMtu(target, result.state === 'open' ? result.rttMs : null, io.signal) : undefined;
  // --json: a ProbeResult (the Report's `probes` entry; warnings are also in `detail`), plus
  // `pathMtu` (the Report's shape) with --mtu.
  if (values.json) io.stdout(`${JSON.stringify({ ...toProbeResult(result), ...(pathMtu ? { pathMtu } : {}) }, null, 2)}\n`);
  else io.stdout(formatText(result, pathMtu));
  return EXIT_OK;
}

function formatText(r: ProbeOutcome, pathMtu: PathMtu | undefined): string {
  const rtt = r.rttMs === null ? '' : `  rtt ${r.rttMs} ms`;
  const lines = [`${r.target}  ${r.state}${rtt}`, `  ${r.detail}`];
  for (const w of r.warnings ?? []) if (!r.detail.includes(w)) lines.push(`  warning: ${w}`);
  if (pathMtu) {
    const size = pathMtu.bytes !== null ? `${pathMtu.bytes} bytes${pathMtu.blackHole ? ', black hole above it' : ''}` : 'not measured';
    lines.push(`  path MTU: ${size} — ${pathMtu.detail}`);
  }
  return `${lines.join('\n')}\n`;
}

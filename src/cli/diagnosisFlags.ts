// The flags that say what a diagnosis measures, shared by `diagnose` and `monitor` so that both
// read them alike (README "Quick start", docs/fleet.md).
import { DEFAULT_TIMEOUT_MS, LIFETIME_TIMEOUT_MS, parseProbeTarget, validateServerList, type DiagnoseOptions, type Report } from '../core';
import { TURN_PASSWORD_ENV } from './probeCommand';
import { UsageError, parseIntegerFlag } from './usage';

export const DIAGNOSIS_FLAGS = {
  stun: { type: 'string', multiple: true },
  probe: { type: 'string', multiple: true },
  user: { type: 'string' },
  lifetime: { type: 'boolean' },
  hairpinning: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

export interface DiagnosisFlagValues {
  stun?: string[];
  probe?: string[];
  user?: string;
  lifetime?: boolean;
  hairpinning?: boolean;
  timeout?: string;
}

export type DiagnosisPlan = Pick<DiagnoseOptions, 'stunServers' | 'probes' | 'measureLifetime' | 'hairpinning' | 'turnCredentials' | 'timeoutMs'>;

/** Checks the flags (a UsageError names the first bad one) and turns them into diagnose() options. */
export function diagnosisPlan(values: DiagnosisFlagValues, env: NodeJS.ProcessEnv): DiagnosisPlan {
  const stunServers = values.stun ?? [];
  const serverErrors = validateServerList(stunServers);
  if (serverErrors.length > 0) throw new UsageError(`--stun ${serverErrors[0]}`);
  const probes = values.probe ?? [];
  for (const probe of probes) {
    const parsed = parseProbeTarget(probe);
    if ('error' in parsed) throw new UsageError(`--probe ${parsed.error}`);
  }
  // TURN probes: the user name by flag, the password only from the environment (never printed).
  let turnCredentials: DiagnoseOptions['turnCredentials'];
  if (values.user !== undefined) {
    const password = env[TURN_PASSWORD_ENV];
    if (!probes.some((p) => p.toLowerCase().endsWith('/turn'))) throw new UsageError('--user is for TURN probes (--probe HOST:PORT/turn)');
    if (!password) throw new UsageError(`--user needs the password in the environment variable ${TURN_PASSWORD_ENV}`);
    turnCredentials = { user: values.user, password };
  }
  // The lifetime measurement leaves mappings idle for minutes: give it room unless told otherwise.
  const timeoutMs =
    values.timeout !== undefined
      ? parseIntegerFlag('--timeout', values.timeout, 100, 3_600_000)
      : values.lifetime
        ? LIFETIME_TIMEOUT_MS
        : DEFAULT_TIMEOUT_MS;
  return {
    stunServers,
    probes,
    measureLifetime: values.lifetime ?? false,
    hairpinning: values.hairpinning ?? false,
    ...(turnCredentials ? { turnCredentials } : {}),
    timeoutMs,
  };
}

/** The diagnosis "could not run at all" (exit status 1): nothing resolved, or nothing reachable. */
export function diagnosisCouldNotRun(report: Report): boolean {
  return report.servers.every((s) => s.address === '') || (report.nat.udp === 'blocked' && report.nat.type === 'unknown');
}

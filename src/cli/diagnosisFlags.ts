// The flags that say what a diagnosis measures, shared by `diagnose` and `monitor` so that both
// read them alike (README "Quick start", docs/fleet.md).
import { DEFAULT_TIMEOUT_MS, LIFETIME_TIMEOUT_MS, parseProbeTarget, validateCaptivePortalUrl, validateServerList, type DiagnoseOptions, type Report } from '../core';
import { TURN_PASSWORD_ENV } from './probeCommand';
import { UsageError, parseIntegerFlag } from './usage';

export const DIAGNOSIS_FLAGS = {
  stun: { type: 'string', multiple: true },
  probe: { type: 'string', multiple: true },
  user: { type: 'string' },
  lifetime: { type: 'boolean' },
  hairpinning: { type: 'boolean' },
  timeout: { type: 'string' },
  'captive-portal': { type: 'string' },
  'no-captive-portal': { type: 'boolean' },
  'no-path-mtu': { type: 'boolean' },
} as const;

export interface DiagnosisFlagValues {
  stun?: string[];
  probe?: string[];
  user?: string;
  lifetime?: boolean;
  hairpinning?: boolean;
  timeout?: string;
  'captive-portal'?: string;
  'no-captive-portal'?: boolean;
  'no-path-mtu'?: boolean;
}

export type DiagnosisPlan = Pick<
  DiagnoseOptions,
  'stunServers' | 'probes' | 'measureLifetime' | 'hairpinning' | 'turnCredentials' | 'timeoutMs' | 'captivePortalUrl' | 'pathMtu'
>;

/** Checks the flags (a UsageError names the first bad one) and turns them into diagnose() options. */
export function diagnosisPlan(values: DiagnosisFlagValues, env: NodeJS.ProcessEnv): DiagnosisPlan {
  if (values['captive-portal'] !== undefined && values['no-captive-portal']) throw new UsageError('--captive-portal and --no-captive-portal cannot be used together');
  if (values['captive-portal'] !== undefined) {
    const checked = validateCaptivePortalUrl(values['captive-portal']);
    if ('error' in checked) throw new UsageError(`--captive-portal ${checked.error}`);
  }
  const captivePortalUrl = values['no-captive-portal'] ? false : values['captive-portal'];
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
    ...(captivePortalUrl !== undefined ? { captivePortalUrl } : {}),
    ...(values['no-path-mtu'] ? { pathMtu: false } : {}),
  };
}

/** The diagnosis "could not run at all" (exit status 1): nothing was reachable (offline). */
export function diagnosisCouldNotRun(report: Report): boolean {
  return report.connectivity?.state === 'offline' || report.servers.every((s) => s.address === '');
}

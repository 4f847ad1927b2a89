// Typed, validated NAT Doctor settings. How to add a setting: schema in package.json
// (contributes.configuration) → SETTING_DEFAULTS and a validator here → use `settings.x` where
// needed (the unit test checks package.json and SETTING_DEFAULTS agree). Pure: the VS Code reader
// (settings.ts) passes in `inspect()` results, so validation and the workspace-trust rule are
// unit-tested without VS Code. A bad value never crashes anything: it yields a clear message and
// the default.
import { DEFAULT_CAPTIVE_PORTAL_URL, RULES, validateCaptivePortalUrl, isParseError, parseHostPort as parseCoreHostPort, parseProbeTarget as parseCoreProbeTarget, PROBE_PROTOCOLS, type HostPort, type ProbeTarget, type ProbeProtocol } from '../core';

export { PROBE_PROTOCOLS };

export interface TurnServerSetting {
  /** `host:port` */
  server: string;
  username: string;
}

export interface NatDoctorSettings {
  stunServers: string[];
  statusBarEnabled: boolean;
  monitorIntervalMinutes: number;
  hideAddresses: boolean;
  timeoutMs: number;
  probeDefaultProtocol: ProbeProtocol;
  probeTargets: string[];
  turnServers: TurnServerSetting[];
  measureLifetimeAutomatically: boolean;
  lintEnabled: boolean;
  lintDisabledRules: string[];
  /** The captive-portal check's URL; empty: the check is off. */
  captivePortalUrl: string;
}

/** Setting key (without the `natDoctor.` prefix) → field and default. */
export const SETTING_DEFAULTS = {
  stunServers: [] as string[],
  'statusBar.enabled': true,
  'monitor.intervalMinutes': 30,
  hideAddresses: false,
  timeoutMs: 20_000,
  'probe.defaultProtocol': 'wireguard' as ProbeProtocol,
  'probe.targets': [] as string[],
  turnServers: [] as TurnServerSetting[],
  measureLifetimeAutomatically: false,
  'lint.enabled': true,
  'lint.disabledRules': [] as string[],
  'captivePortal.url': DEFAULT_CAPTIVE_PORTAL_URL as string,
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/**
 * Hosts named by these settings are contacted by the extension, so a workspace must not pick
 * them in an untrusted folder (package.json capabilities.untrustedWorkspaces.restrictedConfigurations).
 */
export const RESTRICTED_SETTINGS: readonly SettingKey[] = ['stunServers', 'probe.targets', 'turnServers', 'captivePortal.url'];

/** The parts of WorkspaceConfiguration.inspect() the reader needs. */
export interface SettingInspection {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export interface SettingsReadResult {
  settings: NatDoctorSettings;
  /** One sentence per bad value, naming the setting and the default used instead. */
  problems: string[];
  /** Restricted settings whose workspace value was ignored because the workspace is untrusted. */
  ignoredWorkspaceSettings: { key: SettingKey; value: unknown }[];
}

// Settings and input boxes read host:port and probe targets with the engine's own parsers (the
// same as the CLI's); these only turn their error messages into "not valid".

/** `host:port`, `1.2.3.4:port` or `[v6]:port`, port 1–65535. */
export function parseHostPort(text: string): HostPort | undefined {
  const parsed = parseCoreHostPort(text);
  return isParseError(parsed) ? undefined : parsed;
}

export function isHostPort(text: string): boolean {
  return parseHostPort(text) !== undefined;
}

/** `host:port/protocol` as the CLI's --probe takes it. */
export function parseProbeTarget(text: string): ProbeTarget | undefined {
  const parsed = parseCoreProbeTarget(text);
  return isParseError(parsed) ? undefined : parsed;
}

type Validator<T> = (value: unknown) => { ok: true; value: T } | { ok: false; why: string };

const booleanValue: Validator<boolean> = (value) =>
  typeof value === 'boolean' ? { ok: true, value } : { ok: false, why: 'must be true or false' };

function integerIn(min: number, max: number): Validator<number> {
  return (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? { ok: true, value }
      : { ok: false, why: `must be a whole number from ${min} to ${max}` };
}

function listOf(check: (item: string) => boolean, shape: string): Validator<string[]> {
  return (value) => {
    if (!Array.isArray(value)) return { ok: false, why: `must be a list of ${shape}` };
    const bad = value.filter((item) => typeof item !== 'string' || !check(item));
    if (bad.length > 0) return { ok: false, why: `has entries that are not ${shape}: ${bad.map((b) => JSON.stringify(b)).join(', ')}` };
    return { ok: true, value: value.map((item) => String(item).trim()) };
  };
}

const protocolValue: Validator<ProbeProtocol> = (value) =>
  typeof value === 'string' && (PROBE_PROTOCOLS as readonly string[]).includes(value)
    ? { ok: true, value: value as ProbeProtocol }
    : { ok: false, why: `must be one of ${PROBE_PROTOCOLS.join(', ')}` };

const turnServersValue: Validator<TurnServerSetting[]> = (value) => {
  if (!Array.isArray(value)) return { ok: false, why: 'must be a list of { "server": "host:port", "username": "…" }' };
  const servers: TurnServerSetting[] = [];
  for (const item of value) {
    const entry = item as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null || typeof entry.server !== 'string' || !isHostPort(entry.server)
      || typeof entry.username !== 'string') {
      return { ok: false, why: 'needs entries of the form { "server": "host:port", "username": "…" } (the password goes in NAT Doctor: Set TURN Password…, never in settings)' };
    }
    if ('password' in entry) {
      return { ok: false, why: 'must not contain a password: use NAT Doctor: Set TURN Password… (kept in the OS keychain)' };
    }
    servers.push({ server: entry.server.trim(), username: entry.username });
  }
  return { ok: true, value: servers };
};

const VALIDATORS: { [K in SettingKey]: Validator<unknown> } = {
  stunServers: listOf(isHostPort, '"host:port" strings'),
  'statusBar.enabled': booleanValue,
  'monitor.intervalMinutes': integerIn(0, 1440),
  hideAddresses: booleanValue,
  timeoutMs: integerIn(1_000, 300_000),
  'probe.defaultProtocol': protocolValue,
  'probe.targets': listOf((t) => parseProbeTarget(t) !== undefined, '"host:port/protocol" strings'),
  turnServers: turnServersValue,
  measureLifetimeAutomatically: booleanValue,
  'lint.enabled': booleanValue,
  'lint.disabledRules': listOf((id) => RULES.some((r) => r.id === id), 'rule ids from docs/rules.md'),
  'captivePortal.url': (v) => {
    if (typeof v !== 'string') return { ok: false, why: 'must be a string' };
    if (v === '') return { ok: true, value: v };
    const checked = validateCaptivePortalUrl(v);
    return 'error' in checked ? { ok: false, why: checked.error.replace(/^"[^"]*" /, 'must be ') } : { ok: true, value: v };
  },
};

export function readSettings(
  inspect: (key: SettingKey) => SettingInspection | undefined,
  workspaceTrusted: boolean,
): SettingsReadResult {
  const problems: string[] = [];
  const ignoredWorkspaceSettings: SettingsReadResult['ignoredWorkspaceSettings'] = [];

  function value<K extends SettingKey>(key: K): (typeof SETTING_DEFAULTS)[K] {
    const fallback = SETTING_DEFAULTS[key];
    const inspection = inspect(key) ?? {};
    const workspace = inspection.workspaceFolderValue ?? inspection.workspaceValue;
    let raw: unknown;
    if (workspace !== undefined && !workspaceTrusted && RESTRICTED_SETTINGS.includes(key)) {
      ignoredWorkspaceSettings.push({ key, value: workspace });
      raw = inspection.globalValue;
    } else {
      raw = workspace ?? inspection.globalValue;
    }
    if (raw === undefined) return fallback;
    const checked = VALIDATORS[key](raw);
    if (checked.ok) return checked.value as (typeof SETTING_DEFAULTS)[K];
    problems.push(`natDoctor.${key} ${checked.why}; using the default (${JSON.stringify(fallback)}).`);
    return fallback;
  }

  const settings: NatDoctorSettings = {
    stunServers: [...value('stunServers')],
    statusBarEnabled: value('statusBar.enabled'),
    monitorIntervalMinutes: value('monitor.intervalMinutes'),
    hideAddresses: value('hideAddresses'),
    timeoutMs: value('timeoutMs'),
    probeDefaultProtocol: value('probe.defaultProtocol'),
    probeTargets: [...value('probe.targets')],
    turnServers: [...value('turnServers')],
    measureLifetimeAutomatically: value('measureLifetimeAutomatically'),
    lintEnabled: value('lint.enabled'),
    lintDisabledRules: [...value('lint.disabledRules')],
    captivePortalUrl: value('captivePortal.url'),
  };
  return { settings, problems, ignoredWorkspaceSettings };
}

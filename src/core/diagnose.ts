// diagnose(): the whole report, run as one plan under one deadline and one AbortSignal. Phases that
// later work fills (CGNAT evidence, router port mapping, lifetime, VPN probes) are present and
// honest until then: `unknown`, `null` or empty — never a guess.
import type { ProgressListener } from './progress';
import { REPORT_SCHEMA_VERSION, type Report } from './report/types';
import { recommend } from './report/recommendations';
import { discoverNat } from './nat/natDiscovery';
import { DEFAULT_STUN_SERVERS, resolveServers } from './stun/stunServers';
import { TOOL_VERSION } from './version';

export interface DiagnoseOptions {
  /** `host:port` STUN servers; when given, only these are used. Default: DEFAULT_STUN_SERVERS. */
  stunServers?: readonly string[];
  /** `host:port/protocol` reachability probes to run alongside. */
  probes?: readonly string[];
  /** Run the (slow, background) binding-lifetime measurement too. */
  measureLifetime?: boolean;
  /** Test hairpinning (off by default: some firewalls take it for a LAND attack). */
  hairpinning?: boolean;
  /** `quick`: the NAT tests only, for the status bar. */
  mode?: 'full' | 'quick';
  /** Deadline for the whole run in ms (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Where the probes run, for the report ("local machine" or a remote host name). */
  ranOn?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Thrown when the caller's signal (not the deadline) stopped the run: the user cancelled. */
export class DiagnosisCancelled extends Error {
  override name = 'DiagnosisCancelled';
  constructor() {
    super('diagnosis cancelled');
  }
}

export async function diagnose(options: DiagnoseOptions = {}): Promise<Report> {
  const started = Date.now();
  // Our own timer rather than AbortSignal.timeout(): it is cleared the moment the run ends, so a
  // finished diagnosis leaves no timer behind in the extension host.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('deadline')), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  try {
    return await runPlan(options, signal, started);
  } finally {
    clearTimeout(timer);
  }
}

async function runPlan(options: DiagnoseOptions, signal: AbortSignal, started: number): Promise<Report> {
  const progress = options.onProgress ?? (() => undefined);
  const servers = options.stunServers && options.stunServers.length > 0 ? options.stunServers : DEFAULT_STUN_SERVERS;

  progress({ phase: 'resolve', message: `Resolving ${servers.length} STUN server name${servers.length === 1 ? '' : 's'}`, fraction: 0 });
  const resolutions = await resolveServers(servers, signal);
  const nat = await discoverNat(resolutions, { signal, onProgress: progress, hairpinning: options.hairpinning ?? false });
  if (options.signal?.aborted) throw new DiagnosisCancelled();

  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'nat-doctor', version: TOOL_VERSION },
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    servers: nat.servers,
    publicAddress: nat.publicAddress,
    nat: nat.nat,
    cgnat: { verdict: 'unknown', confidence: 0, evidence: [] },
    portMapping: {
      upnp: { available: false, error: 'not checked yet' },
      natPmp: { available: false, error: 'not checked yet' },
      pcp: { available: false, error: 'not checked yet' },
    },
    bindingLifetime: null,
    probes: [],
    recommendations: [],
  };
  if (options.ranOn) report.ranOn = options.ranOn;
  report.recommendations = recommend(report);
  report.durationMs = Date.now() - started;
  progress({ phase: 'done', message: 'Done', fraction: 1 });
  return report;
}

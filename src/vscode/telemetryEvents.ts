// Every telemetry event NAT Doctor can send, built here from enums and buckets only. Nothing that
// came from the network, a setting or a file (addresses, host names, ports, keys, error messages)
// is ever copied into an event: values go through allow-lists, numbers through buckets. VS Code's
// own telemetry cleaner does not redact IP addresses, `host:port` or WireGuard keys, so this
// module is the guarantee. Pure (no `vscode` import): test/unit/vscode/telemetryEvents.test.ts
// feeds hostile reports through every method and checks what would be sent. Each event is
// documented in telemetry.json.
import { CGNAT_VERDICTS, CONNECTIVITY_STATES, FILTERING_BEHAVIORS, MAPPING_BEHAVIORS, NAT_TYPES, PROBE_STATES, type Report } from '../core';

export const COMMAND_IDS = [
  'natDoctor.runDiagnostics',
  'natDoctor.quickCheck',
  'natDoctor.probeServer',
  'natDoctor.showReport',
  'natDoctor.copyReport',
  'natDoctor.exportReport',
  'natDoctor.measureBindingLifetime',
  'natDoctor.setTurnPassword',
  'natDoctor.testPeerConnection',
  'natDoctor.comparePeerReport',
] as const;
export type CommandId = (typeof COMMAND_IDS)[number];

export type CommandOutcome = 'ok' | 'cancelled' | 'error';
export type ErrorKind = 'cancelled' | 'timeout' | 'dns' | 'network' | 'permission' | 'internal' | 'other';
export type DiagnosisTrigger = 'command' | 'monitor' | 'panel';
export type PanelAction = 'rerun' | 'copyMarkdown' | 'exportJson' | 'selectHistory';

/** What reaches the sender: string enums and bucket labels only. */
export interface TelemetryEvent {
  name: string;
  properties: Record<string, string>;
}

export interface TelemetrySink {
  send(event: TelemetryEvent): void;
}

export const TELEMETRY_EVENT_NAMES = [
  'command',
  'diagnosis',
  'diagnosisError',
  'monitorCheck',
  'panelAction',
  'settingsInvalid',
] as const;

const MONITOR_REASONS = ['startup', 'network-change', 'back-online', 'interval', 'retry', 'settings-change'] as const;

/** The value if it is one of `allowed`, else "other": a malformed report cannot smuggle text out. */
function allowed<T extends string>(value: unknown, allowedValues: readonly T[]): T | 'other' {
  return typeof value === 'string' && (allowedValues as readonly string[]).includes(value) ? (value as T) : 'other';
}

function flag(value: unknown): 'true' | 'false' | 'unknown' {
  return value === true ? 'true' : value === false ? 'false' : 'unknown';
}

export function rttBucket(rttMs: number | null | undefined): string {
  if (typeof rttMs !== 'number' || !Number.isFinite(rttMs) || rttMs < 0) return 'none';
  if (rttMs < 20) return '<20ms';
  if (rttMs < 50) return '20-50ms';
  if (rttMs < 100) return '50-100ms';
  if (rttMs < 200) return '100-200ms';
  if (rttMs < 500) return '200-500ms';
  return '>=500ms';
}

export function pathMtuBucket(bytes: number | null | undefined): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return 'none';
  if (bytes >= 1500) return '1500+';
  if (bytes >= 1450) return '1450-1499';
  if (bytes >= 1400) return '1400-1449';
  if (bytes >= 1280) return '1280-1399';
  return '<1280';
}

export function durationBucket(durationMs: number): string {
  if (!Number.isFinite(durationMs) || durationMs < 0) return 'unknown';
  if (durationMs < 1_000) return '<1s';
  if (durationMs < 3_000) return '1-3s';
  if (durationMs < 10_000) return '3-10s';
  if (durationMs < 30_000) return '10-30s';
  if (durationMs < 120_000) return '30-120s';
  return '>=120s';
}

function countBucket(count: number): string {
  if (count <= 0) return '0';
  if (count === 1) return '1';
  if (count <= 3) return '2-3';
  return '4+';
}

/** Classifies an error by its type and code, never by copying its message. */
export function errorKind(error: unknown): ErrorKind {
  if (typeof error !== 'object' || error === null) return 'other';
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (name === 'AbortError' || name === 'DiagnosisCancelled') return 'cancelled';
  if (name === 'TimeoutError' || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'ECONNREFUSED' || code === 'ENETDOWN' || code === 'EADDRNOTAVAIL') return 'network';
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) return 'internal';
  return 'other';
}

export class NatDoctorTelemetry {
  constructor(private readonly sink: TelemetrySink) {}

  private send(name: (typeof TELEMETRY_EVENT_NAMES)[number], properties: Record<string, string>): void {
    this.sink.send({ name, properties });
  }

  commandRun(commandId: CommandId, durationMs: number, outcome: CommandOutcome, error?: unknown): void {
    this.send('command', {
      commandId: allowed(commandId, COMMAND_IDS),
      outcome: allowed(outcome, ['ok', 'cancelled', 'error'] as const),
      durationBucket: durationBucket(durationMs),
      errorKind: outcome === 'error' ? errorKind(error) : 'none',
    });
  }

  diagnosisCompleted(report: Report, mode: 'full' | 'quick', trigger: DiagnosisTrigger): void {
    const rtts = report.servers.map((s) => s.rttMs).filter((r): r is number => typeof r === 'number');
    const probeStates = report.probes.map((p) => allowed(p.state, PROBE_STATES));
    this.send('diagnosis', {
      mode: allowed(mode, ['full', 'quick'] as const),
      trigger: allowed(trigger, ['command', 'monitor', 'panel'] as const),
      natType: allowed(report.nat.type, NAT_TYPES),
      mapping: allowed(report.nat.mapping, MAPPING_BEHAVIORS),
      filtering: allowed(report.nat.filtering, FILTERING_BEHAVIORS),
      udp: allowed(report.nat.udp, ['ok', 'blocked'] as const),
      cgnatVerdict: allowed(report.cgnat.verdict, CGNAT_VERDICTS),
      portPreservation: flag(report.nat.portPreservation),
      hairpinning: flag(report.nat.hairpinning),
      rttBucket: rttBucket(rtts.length > 0 ? Math.min(...rtts) : null),
      durationBucket: durationBucket(report.durationMs),
      serversAnswered: countBucket(report.servers.filter((s) => typeof s.rttMs === 'number').length),
      rfc5780Server: report.servers.some((s) => s.rfc5780 === true) ? 'true' : 'false',
      portMappingAvailable: flag(report.portMapping.upnp.available === true || report.portMapping.natPmp.available === true || report.portMapping.pcp.available === true),
      lifetimeMeasured: report.bindingLifetime ? 'true' : 'false',
      probeCount: countBucket(report.probes.length),
      probesOpen: countBucket(probeStates.filter((s) => s === 'open').length),
      remote: report.ranOn !== undefined && report.ranOn !== 'local machine' ? 'true' : 'false',
      connectivity: report.connectivity ? allowed(report.connectivity.state, CONNECTIVITY_STATES) : 'unknown',
      captivePortal: flag(report.connectivity?.captivePortal),
      pathMtuBucket: pathMtuBucket(report.pathMtu?.bytes),
      pmtuBlackHole: flag(report.pathMtu?.blackHole),
    });
  }

  diagnosisFailed(error: unknown, mode: 'full' | 'quick', trigger: DiagnosisTrigger, durationMs: number): void {
    this.send('diagnosisError', {
      mode: allowed(mode, ['full', 'quick'] as const),
      trigger: allowed(trigger, ['command', 'monitor', 'panel'] as const),
      errorKind: errorKind(error),
      durationBucket: durationBucket(durationMs),
    });
  }

  monitorCheck(reason: string, outcome: 'ok' | 'failed'): void {
    this.send('monitorCheck', {
      reason: allowed(reason, MONITOR_REASONS),
      outcome: allowed(outcome, ['ok', 'failed'] as const),
    });
  }

  panelAction(action: PanelAction): void {
    this.send('panelAction', { action: allowed(action, ['rerun', 'copyMarkdown', 'exportJson', 'selectHistory'] as const) });
  }

  /** Only how many settings were invalid, never which values. */
  settingsInvalid(problemCount: number): void {
    this.send('settingsInvalid', { problemCount: countBucket(problemCount) });
  }
}

// diagnose(): the whole report, run as one plan under one deadline and one AbortSignal. Phases that
// later work fills (CGNAT evidence, router port mapping, lifetime, VPN probes) are present and
// honest until then: `unknown`, `null` or empty — never a guess.
import type { ProgressListener } from './progress';
import { REPORT_SCHEMA_VERSION, type Report } from './report/types';
import { recommend } from './report/recommendations';
import { discoverNat } from './nat/natDiscovery';
import { DEFAULT_STUN_SERVERS, isResolved, resolveServers, type ResolvedServer } from './stun/stunServers';
import { isIP } from 'node:net';
import { cgnatVerdict } from './cgnat/cgnatVerdict';
import { tracePath, type TracePath } from './cgnat/tracePath';
import { findUplink, type Uplink } from './netinfo/uplink';
import { measureBindingLifetime } from './nat/bindingLifetime';
import { DEFAULT_TIMEOUT_MS, QUICK_TIMEOUT_MS } from './timeouts';
import { probePortMapping, summarizePortMapping } from './portmap/portMapping';
import { iceCandidates } from './report/iceCandidates';
import { fastestTurnServer, probeTargetStrings, toProbeResult } from './probes';
import type { TurnCredentials } from './probes';
import { TOOL_VERSION } from './version';

export interface DiagnoseOptions {
  /** `host:port` STUN servers; when given, only these are used. Default: DEFAULT_STUN_SERVERS. */
  stunServers?: readonly string[];
  /** `host:port/protocol` reachability probes to run alongside (a bare host: the default set). */
  probes?: readonly string[];
  /** TURN long-term credentials for `turn` probes; never reported. */
  turnCredentials?: TurnCredentials;
  /** Run the (slow, background) binding-lifetime measurement too. */
  measureLifetime?: boolean;
  /** Test hairpinning (off by default: some firewalls take it for a LAND attack). */
  hairpinning?: boolean;
  /**
   * `quick` (the status bar's periodic check, Probe VPN Server): no hairpinning and no lifetime
   * measurement, and a 5 s default deadline. Probes still run when asked for explicitly.
   */
  mode?: 'full' | 'quick';
  /** Deadline for the whole run in ms (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Where the probes run, for the report ("local machine" or a remote host name). */
  ranOn?: string;
}

export { DEFAULT_TIMEOUT_MS, LIFETIME_TIMEOUT_MS, QUICK_TIMEOUT_MS } from './timeouts';

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
  const quick = options.mode === 'quick';
  const timer = setTimeout(() => deadline.abort(new Error('deadline')), options.timeoutMs ?? (quick ? QUICK_TIMEOUT_MS : DEFAULT_TIMEOUT_MS));
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  try {
    const plan = quick ? { ...options, hairpinning: false, measureLifetime: false } : options;
    return await runPlan(plan, signal, started);
  } finally {
    clearTimeout(timer);
  }
}

async function runPlan(options: DiagnoseOptions, signal: AbortSignal, started: number): Promise<Report> {
  const progress = options.onProgress ?? (() => undefined);
  const servers = options.stunServers && options.stunServers.length > 0 ? options.stunServers : DEFAULT_STUN_SERVERS;

  progress({ phase: 'resolve', message: `Resolving ${servers.length} STUN server name${servers.length === 1 ? '' : 's'}`, fraction: 0 });
  const resolutions = await resolveServers(servers, signal);
  const firstV4 = resolutions.find((r): r is ResolvedServer => isResolved(r) && r.family === 'IPv4');

  // Everything that does not depend on the NAT tests runs beside them.
  const uplinkAndPortMapping = (async () => {
    const uplink = await findUplink(firstV4?.address, signal);
    progress({ phase: 'port-mapping', message: 'Asking the router about UPnP, NAT-PMP and PCP', fraction: 0.2 });
    return { uplink, portMapping: await probePortMapping(uplink, signal) };
  })();
  const pathToServer = firstV4 ? tracePath(firstV4.address, 4, signal) : Promise.resolve(null);
  // The hops to our own public address: started as soon as a server tells us what it is, so it
  // runs under the filtering test's wait instead of after it. Even if a lying server named someone
  // else's address, the probes expire within four hops: they never reach a distant host.
  let pathToPublic: Promise<TracePath | null> = Promise.resolve(null);
  const nat = await discoverNat(resolutions, {
    signal,
    onProgress: progress,
    hairpinning: options.hairpinning ?? false,
    portAllocation: options.mode !== 'quick',
    onPublicAddress: (address) => {
      pathToPublic = tracePath(address, 4, signal, { sequential: true });
    },
  });
  if (options.signal?.aborted) throw new DiagnosisCancelled();

  progress({ phase: 'cgnat', message: 'Looking for carrier-grade NAT', fraction: 0.8 });
  const publicV4 = nat.publicAddress && isIP(nat.publicAddress.address) === 4 ? nat.publicAddress.address : null;
  const probeTargets = options.probes ?? [];
  if (probeTargets.length > 0) progress({ phase: 'probes', message: `Probing ${probeTargets.length} VPN endpoint${probeTargets.length === 1 ? '' : 's'}`, fraction: 0.85 });
  const [{ uplink, portMapping }, serverPath, publicPath, probes] = await Promise.all([
    uplinkAndPortMapping,
    pathToServer,
    // Only meaningful behind a NAT, and only for the address the report settled on.
    pathToPublic.then((path) => (publicV4 && nat.nat.mapping !== 'none' && path?.target === publicV4 ? path : null)),
    probeTargets.length > 0
      ? probeTargetStrings(probeTargets, {
          signal,
          ...(publicV4 ? { publicAddress: publicV4 } : {}),
          ...(options.turnCredentials ? { turnCredentials: options.turnCredentials } : {}),
        })
      : Promise.resolve([]),
  ]);
  const cgnat = cgnatVerdict({
    uplink,
    publicAddress: publicV4,
    mapping: nat.nat.mapping,
    portMapping,
    pathToServer: serverPath,
    pathToPublic: publicPath,
  });

  let bindingLifetime: Report['bindingLifetime'] = null;
  const lifetimeNotes: string[] = [];
  if (options.measureLifetime && !signal.aborted) {
    const probe = nat.serverProbes.find((p) => p.target.server === nat.behaviorServer) ?? nat.serverProbes.find((p) => p.mapped !== null);
    if (!probe || probe.rttMs === null) {
      lifetimeNotes.push('lifetime: no STUN server answered, so it could not be measured');
    } else {
      const outcome = await measureBindingLifetime({ server: probe.target, rttMs: probe.rttMs, signal, onProgress: progress });
      if (outcome.kind === 'measured') bindingLifetime = outcome.lifetime;
      else lifetimeNotes.push(`lifetime: ${outcome.reason}`);
    }
  }
  if (options.signal?.aborted) throw new DiagnosisCancelled();

  const notes = [...(nat.nat.notes ?? []), ...lifetimeNotes];
  const natResult = { ...nat.nat };
  if (notes.length > 0) natResult.notes = notes;

  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'nat-doctor', version: TOOL_VERSION },
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    servers: nat.servers,
    publicAddress: nat.publicAddress,
    nat: natResult,
    cgnat,
    portMapping: summarizePortMapping(portMapping),
    bindingLifetime,
    probes: probes.map(toProbeResult),
    recommendations: [],
    uplink: describeUplink(uplink),
    candidates: iceCandidates(
      uplink,
      nat.publicAddress,
      probes.flatMap((p) => (p.relayed ? [{ type: 'relay' as const, address: p.relayed.address, port: p.relayed.port, source: `TURN ${p.target}` }] : [])),
    ),
  };
  if (options.ranOn) report.ranOn = options.ranOn;
  const fastestTurn = fastestTurnServer(probes);
  report.recommendations = recommend(report, fastestTurn ? { fastestTurnServer: { target: fastestTurn.target, rttMs: fastestTurn.rttMs } } : {});
  report.durationMs = Date.now() - started;
  progress({ phase: 'done', message: 'Done', fraction: 1 });
  return report;
}

function describeUplink(uplink: Uplink): NonNullable<Report['uplink']> {
  return { interface: uplink.interface, address: uplink.address, gateway: uplink.gateway, overlay: uplink.overlay };
}

// diagnose(): the whole report, run as one plan under one deadline and one AbortSignal. Phases that
// later work fills (CGNAT evidence, router port mapping, lifetime, VPN probes) are present and
// honest until then: `unknown`, `null` or empty — never a guess.
import type { ProgressListener } from './progress';
import { REPORT_SCHEMA_VERSION, type PathMtu, type Report } from './report/types';
import { recommend } from './report/recommendations';
import { discoverNat } from './nat/natDiscovery';
import { applyConnectivity, decideConnectivity, startTcpProofs } from './connectivity/connectivity';
import { checkCaptivePortal, DEFAULT_CAPTIVE_PORTAL_URL, validateCaptivePortalUrl, type CaptivePortalCheck } from './connectivity/captivePortal';
import { AnswerLog } from './net/udpTransactions';
import { measurePathMtu } from './pathmtu/pathMtu';
import { DEFAULT_STUN_SERVERS, isResolved, resolveServers, type ResolvedServer } from './stun/stunServers';
import { setMaxListeners } from 'node:events';
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
  /**
   * Full mode: the plain-HTTP URL of the captive-portal check (default DEFAULT_CAPTIVE_PORTAL_URL),
   * or `false` to send nothing. Validate with validateCaptivePortalUrl first.
   */
  captivePortalUrl?: string | false;
  /** Full mode measures the path MTU unless this is `false` (it sends a few dozen padded requests). */
  pathMtu?: boolean;
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
  // Every transaction of the run listens to this one signal: dozens at once is the design, not a leak.
  setMaxListeners(256, signal);
  // The work that runs beside the NAT tests. A cancelled run still waits for it (it listens to the
  // same signal and ends at once), so no socket or child process outlives diagnose().
  const background: Array<Promise<unknown>> = [];
  const track = <T>(task: Promise<T>): Promise<T> => {
    background.push(task);
    return task;
  };
  try {
    const plan = quick ? { ...options, hairpinning: false, measureLifetime: false } : options;
    return await runPlan(plan, signal, started, track);
  } finally {
    // Whatever ended the run (the report is done, a cancel, a bug), what still runs beside it stops.
    clearTimeout(timer);
    deadline.abort(new Error('finished'));
    await Promise.allSettled(background);
  }
}

async function runPlan(options: DiagnoseOptions, signal: AbortSignal, started: number, track: <T>(task: Promise<T>) => Promise<T>): Promise<Report> {
  const progress = options.onProgress ?? (() => undefined);
  const servers = options.stunServers && options.stunServers.length > 0 ? options.stunServers : DEFAULT_STUN_SERVERS;

  // Full mode: the captive-portal check runs from the start, beside everything else.
  const portalUrl = options.mode === 'quick' || options.captivePortalUrl === false ? null : validateCaptivePortalUrl(options.captivePortalUrl ?? DEFAULT_CAPTIVE_PORTAL_URL);
  const portalCheck: Promise<CaptivePortalCheck | null> =
    portalUrl && 'url' in portalUrl ? track(checkCaptivePortal(portalUrl.url, signal)) : Promise.resolve(portalUrl ? { portal: null, detail: portalUrl.error } : null);

  progress({ phase: 'resolve', message: `Resolving ${servers.length} STUN server name${servers.length === 1 ? '' : 's'}`, fraction: 0 });
  const resolutions = await resolveServers(servers, signal);
  const firstV4 = resolutions.find((r): r is ResolvedServer => isResolved(r) && r.family === 'IPv4');
  // From the first moment beside the STUN requests: one TCP attempt per server address, whose
  // answer proves the network works (so UDP silence can be called "UDP blocked" within a second)
  // and whose absence, with no name resolved, says offline.
  const evidence = new AnswerLog();
  const tcpProofs = startTcpProofs(resolutions.filter(isResolved).map((r) => r.address), signal, evidence);

  // Everything that does not depend on the NAT tests runs beside them.
  const uplinkAndPortMapping = track((async () => {
    const uplink = await findUplink(firstV4?.address, signal);
    progress({ phase: 'port-mapping', message: 'Asking the router about UPnP, NAT-PMP and PCP', fraction: 0.2 });
    return { uplink, portMapping: await probePortMapping(uplink, signal) };
  })());
  const pathToServer = firstV4 ? track(tracePath(firstV4.address, 4, signal)) : Promise.resolve(null);
  // The hops to our own public address: started as soon as a server tells us what it is, so it
  // runs under the filtering test's wait instead of after it. Even if a lying server named someone
  // else's address, the probes expire within three hops: they never reach a distant host.
  let pathToPublic: Promise<TracePath | null> = Promise.resolve(null);
  const nat = await discoverNat(resolutions, {
    signal,
    onProgress: progress,
    hairpinning: options.hairpinning ?? false,
    portAllocation: options.mode !== 'quick',
    onPublicAddress: (address) => {
      pathToPublic = track(tracePath(address, 3, signal, { sequential: true }));
    },
    log: evidence,
  });
  const connectivity = decideConnectivity({
    names: resolutions.filter((r) => !isResolved(r) || isIP(r.host) === 0).length,
    resolvedNames: resolutions.filter((r) => isResolved(r) && isIP(r.host) === 0).length,
    unresolved: resolutions.filter((r) => !isResolved(r)).map((r) => r.server),
    udpAnswered: nat.serverProbes.some((p) => p.outcome.kind === 'answer' || p.outcome.kind === 'wrong-source' || (p.outcome.kind === 'silence' && p.outcome.ignored.length > 0)),
    udpWaitedOut: nat.serverProbes.some((p) => p.outcome.kind === 'silence'),
    udpCutShort: nat.serverProbes.some((p) => p.outcome.kind === 'aborted'),
    tcp: await tcpProofs.settle(),
    captivePortal: null,
  });
  const portal = await portalCheck;
  if (portal) {
    connectivity.connectivity.captivePortal = portal.portal;
    if (portal.portal !== false) connectivity.notes.push(`captive portal check: ${portal.detail}`);
  }
  nat.nat = applyConnectivity(nat.nat, connectivity.connectivity, connectivity.notes);
  if (options.signal?.aborted) throw new DiagnosisCancelled();

  // Path MTU (full mode) towards the server of the behaviour tests, beside the CGNAT phase.
  const mtuServer = nat.serverProbes.find((p) => p.target.server === nat.behaviorServer) ?? nat.serverProbes.find((p) => p.mapped !== null);
  const pathMtu: Promise<PathMtu | null> =
    options.mode !== 'quick' && options.pathMtu !== false && nat.nat.udp === 'ok' && mtuServer && mtuServer.rttMs !== null
      ? measurePathMtu({ server: mtuServer.target.server, address: mtuServer.target.address, port: mtuServer.target.port, family: mtuServer.target.family, rttMs: mtuServer.rttMs, signal })
      : Promise.resolve(null);

  progress({ phase: 'cgnat', message: 'Looking for carrier-grade NAT', fraction: 0.8 });
  const publicV4 = nat.publicAddress && isIP(nat.publicAddress.address) === 4 ? nat.publicAddress.address : null;
  const probeTargets = options.probes ?? [];
  if (probeTargets.length > 0) progress({ phase: 'probes', message: `Probing ${probeTargets.length} VPN endpoint${probeTargets.length === 1 ? '' : 's'}`, fraction: 0.85 });
  const [{ uplink, portMapping }, serverPath, publicPath, probes, measuredMtu] = await Promise.all([
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
    pathMtu,
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
      lifetimeNotes.push(...(outcome.kind === 'measured' ? outcome.notes : [`lifetime: ${outcome.reason}`]));
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
    connectivity: connectivity.connectivity,
  };
  if (options.mode !== 'quick') {
    report.pathMtu = measuredMtu ?? (options.pathMtu === false ? null : { target: mtuServer?.target.server ?? '', bytes: null, blackHole: null, detail: 'no STUN server answered, so no packet size could be proven' });
  }
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

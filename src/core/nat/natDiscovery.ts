// NAT behaviour discovery (RFC 5780 §4): connectivity to every server at once, then — with the
// first server that proves it can — filtering (fresh socket) and mapping. Without such a server,
// mappings seen by several servers are compared instead (Tailscale's "mapping varies by
// destination"); what cannot be decided is `unknown`, with the reason in `notes`.
import type { ProgressListener } from '../progress';
import type { NatResult, ServerResult, TransportAddress } from '../report/types';
import { sameAddress, normalizeIp } from '../net/endpoint';
import { measuredSchedule } from '../net/retransmission';
import { UdpTransactions, type AnswerLog } from '../net/udpTransactions';
import { isResolved, type ResolvedServer, type ServerResolution } from '../stun/stunServers';
import { classicNatType } from './classicNatType';
import { testFiltering, type FilteringResult } from './filteringBehavior';
import { testHairpinning } from './hairpinning';
import { isUnNatted, testMapping, type MappingResult } from './mappingBehavior';
import { samplePortAllocation } from './portAllocation';
import { probeServer, type ServerProbe } from './serverProbe';

export interface NatDiscoveryOptions {
  signal: AbortSignal;
  onProgress?: ProgressListener;
  hairpinning?: boolean;
  /** Sample fresh mappings for the port-allocation pattern (full mode; RFC 4787 §4.2). */
  portAllocation?: boolean;
  /** Called once with the first public IPv4 a server reports, so slower checks can start early. */
  onPublicAddress?: (address: string) => void;
  /** Evidence shared with other transports (TCP attempts to the same servers: connectivity.ts). */
  log?: AnswerLog;
}

export interface NatDiscovery {
  servers: ServerResult[];
  publicAddress: TransportAddress | null;
  nat: NatResult;
  /** Every server's Test I, for the phases that follow (CGNAT evidence, recommendations). */
  serverProbes: ServerProbe[];
  /** The server the behaviour tests ran against, if any. */
  behaviorServer: string | null;
}

export async function discoverNat(resolutions: ServerResolution[], options: NatDiscoveryOptions): Promise<NatDiscovery> {
  const { signal } = options;
  const progress = options.onProgress ?? (() => undefined);
  const targets = resolutions.filter(isResolved);
  const sockets = new Map<'IPv4' | 'IPv6', UdpTransactions>();
  const notes: string[] = [];
  try {
    const openErrors = new Map<'IPv4' | 'IPv6', string>();
    for (const family of new Set(targets.map((t) => t.family))) {
      try {
        sockets.set(family, await UdpTransactions.open({ family, ...(options.log ? { log: options.log } : {}) }));
      } catch (err) {
        openErrors.set(family, `cannot open a ${family} UDP socket: ${(err as Error).message}`);
      }
    }

    progress({ phase: 'connectivity', message: `Asking ${targets.length} STUN server${targets.length === 1 ? '' : 's'} for our public address`, fraction: 0.1 });
    let announced = false;
    const announce = (probe: ServerProbe): ServerProbe => {
      if (!announced && probe.mapped?.family === 'IPv4') {
        announced = true;
        options.onPublicAddress?.(probe.mapped.address);
      }
      return probe;
    };
    const probePromises = targets.map((target) => {
      const socket = sockets.get(target.family);
      return socket
        ? probeServer(socket, target, signal).then(announce)
        : Promise.resolve<ServerProbe>({ target, outcome: { kind: 'send-error', code: 'ESOCKET', message: openErrors.get(target.family) ?? '' }, rttMs: null, mapped: null, algRewrite: null, other: null, error: openErrors.get(target.family) ?? 'no socket' });
    });
    // Start behaviour tests as soon as one capable server answers; prefer IPv4 (see stunServers.ts).
    const isCapable = (p: ServerProbe): boolean => p.other !== null && p.mapped !== null && p.rttMs !== null;
    let candidate =
      (await firstMatching(probePromises, (p) => isCapable(p) && p.target.family === 'IPv4')) ??
      (await firstMatching(probePromises, isCapable));

    // A server that advertises OTHER-ADDRESS can still be unable (or unwilling) to run the tests;
    // its own answers refute it. Then the next capable server gets its turn (at most three).
    const attempts: BehaviorAttempt[] = [];
    while (candidate && attempts.length < MAX_BEHAVIOR_SERVERS && !signal.aborted) {
      attempts.push(await runBehaviorTests(candidate, sockets.get(candidate.target.family) as UdpTransactions, signal, progress));
      if ((attempts.at(-1) as BehaviorAttempt).refutation === null) break;
      const tried = new Set(attempts.map((a) => a.probe));
      candidate =
        (await Promise.all(probePromises))
          .filter((p) => isCapable(p) && !tried.has(p))
          .sort((a, b) => Number(b.target.family === 'IPv4') - Number(a.target.family === 'IPv4') || (a.rttMs ?? 0) - (b.rttMs ?? 0))[0] ?? null;
    }
    const chosen = attempts.find((a) => a.refutation === null) ?? attempts.at(-1) ?? null;

    // After the behaviour tests, never beside them: a NAT that counts ports up must see our
    // fresh mappings one after another, not interleaved with the tests' own new flows.
    let portAllocation: NatResult['portAllocation'];
    if (options.portAllocation && !signal.aborted) {
      progress({ phase: 'port-allocation', message: 'Sampling how the NAT picks ports for new mappings', fraction: 0.7 });
      portAllocation = await samplePortAllocation(await settledSoFar(probePromises), chosen?.probe.target.family ?? 'IPv4', signal);
    }

    let hairpinning: boolean | null = null;
    if (chosen && options.hairpinning && !signal.aborted && chosen.probe.mapped && chosen.probe.rttMs !== null) {
      progress({ phase: 'hairpinning', message: 'Testing hairpinning', fraction: 0.75 });
      const socket = sockets.get(chosen.probe.target.family) as UdpTransactions;
      hairpinning = await testHairpinning(socket, chosen.probe.mapped, measuredSchedule(chosen.probe.rttMs), signal);
    }
    const serverProbes = await Promise.all(probePromises);
    const decided = decide(serverProbes, chosen, sockets, notes);
    decided.nat.hairpinning = hairpinning;
    if (portAllocation && decided.nat.udp === 'ok') decided.nat.portAllocation = portAllocation;
    if (signal.aborted) notes.push('the run stopped before every test finished (deadline or cancel)');
    if (notes.length > 0) decided.nat.notes = notes;

    const servers: ServerResult[] = resolutions.map((r) => {
      if (!isResolved(r)) return { server: r.server, address: '', rttMs: null, rfc5780: false, error: r.error };
      const probe = serverProbes.find((p) => p.target === r);
      const refuted = attempts.find((a) => a.probe === probe && a.refutation !== null);
      const result: ServerResult = { server: r.server, address: r.address, rttMs: probe?.rttMs ?? null, rfc5780: probe !== undefined && probe.other !== null && !refuted };
      const error = probe?.error ?? (refuted ? `cannot run RFC 5780 tests: ${refuted.refutation}` : probe?.otherProblem);
      if (error) result.error = error;
      return result;
    });
    const behaviorServer = chosen && chosen.refutation === null ? chosen.probe.target.server : null;
    return { servers, publicAddress: decided.publicAddress, nat: decided.nat, serverProbes, behaviorServer };
  } finally {
    await Promise.all([...sockets.values()].map((socket) => socket.close()));
  }
}

/** How many advertised RFC 5780 servers may be tried before the behaviours stay unknown. */
const MAX_BEHAVIOR_SERVERS = 3;

interface BehaviorAttempt {
  probe: ServerProbe;
  filtering: FilteringResult;
  mapping: MappingResult;
  /** Why this server's answers cannot be trusted for behaviour tests; null when they can. */
  refutation: string | null;
}

async function runBehaviorTests(probe: ServerProbe, socket: UdpTransactions, signal: AbortSignal, progress: ProgressListener): Promise<BehaviorAttempt> {
  const server = probe.target;
  const other = probe.other as NonNullable<ServerProbe['other']>;
  const rttMs = probe.rttMs as number;
  progress({ phase: 'filtering', message: `Testing how the NAT filters incoming packets (with ${server.server})`, fraction: 0.35 });
  const filtering = await testFiltering(server, other, rttMs, signal);
  progress({ phase: 'mapping', message: `Testing how the NAT maps outgoing packets (with ${server.server})`, fraction: 0.65 });
  // A verdict that rests on test III's silence needs proof that the primary IP's alternate port
  // sends to us at all; nothing else reaches that pair.
  const mapping = await testMapping(socket, server, other, probe.mapped as NonNullable<ServerProbe['mapped']>, filtering.rttMs, signal, {
    checkAlternatePort: filtering.filtering === 'address-and-port-dependent',
  });
  return { probe, filtering, mapping, refutation: refutation(filtering, mapping) };
}

/**
 * A server proves itself only if it answers from where it must and every silence the filtering
 * verdict rests on comes from a source proven to reach us (RFC 5780 §4.4 reads silence as
 * filtering, which holds only if the answer was sent): test II's answer comes from the alternate
 * IP and port (alive when mapping test III answered), test III's from the primary IP's alternate
 * port (alive when the dedicated check answered).
 */
export function refutation(filtering: FilteringResult, mapping: MappingResult): string | null {
  if (filtering.filtering === 'unknown') return filtering.reason;
  const restsOnTestII = filtering.filtering === 'address-dependent' || filtering.filtering === 'address-and-port-dependent';
  const restsOnTestIII = filtering.filtering === 'address-and-port-dependent';
  if (restsOnTestII && !mapping.alive.alternateIpAndPort) {
    return 'its alternate address never answered from its alternate port (mapping test III), so missing answers to filtering test II (change IP and port) prove nothing';
  }
  if (restsOnTestIII && mapping.alive.alternatePort !== true) {
    return 'its primary address never answered from its alternate port, so missing answers to filtering test III (change port) prove nothing';
  }
  return null;
}

function decide(
  probes: ServerProbe[],
  chosen: BehaviorAttempt | null,
  sockets: Map<'IPv4' | 'IPv6', UdpTransactions>,
  notes: string[],
): { nat: NatResult; publicAddress: TransportAddress | null } {
  const answered = probes.filter((p) => p.mapped !== null);
  if (answered.length === 0) {
    // "UDP blocked" only when requests went out and nothing at all came back; a run cut short by
    // the deadline, or one that could not send, does not know that much.
    // Answers we refused to count (RFC 8489 §14: unknown comprehension-required attributes) still
    // prove that UDP gets through.
    const ignored = [...new Set(probes.flatMap((p) => (p.outcome.kind === 'silence' ? p.outcome.ignored : [])))];
    const replied = ignored.length > 0 || probes.some((p) => p.outcome.kind === 'wrong-source' || p.outcome.kind === 'answer');
    const waitedOut = probes.some((p) => p.outcome.kind === 'silence');
    const cutShort = probes.some((p) => p.outcome.kind === 'aborted');
    for (const reason of ignored) notes.push(reason);
    if (replied) notes.push('answers came back, but none from the address asked or with a usable mapped address');
    else if (waitedOut) notes.push('no STUN server answered: outgoing UDP looks blocked');
    else if (cutShort) notes.push('the run stopped before any STUN server answered');
    else notes.push(probes.length === 0 ? 'no STUN server could be resolved: is this machine online?' : 'no STUN request could be sent: is this machine online?');
    return {
      nat: {
        udp: replied ? 'ok' : 'blocked',
        mapping: 'unknown',
        filtering: 'unknown',
        type: waitedOut && !replied ? 'udp-blocked' : 'unknown',
        portPreservation: null,
        hairpinning: null,
        alg: null,
      },
      publicAddress: null,
    };
  }

  const primary = chosen?.probe ?? answered.find((p) => p.target.family === 'IPv4') ?? (answered[0] as ServerProbe);
  const primaryMapped = primary.mapped as NonNullable<ServerProbe['mapped']>;
  const localPort = sockets.get(primary.target.family)?.localPort ?? -1;

  let mapping: NatResult['mapping'] = 'unknown';
  let variesByDestination = false;
  if (chosen && (chosen.mapping.mapping !== 'unknown' || chosen.mapping.variesByDestination)) {
    mapping = chosen.mapping.mapping;
    variesByDestination = chosen.mapping.variesByDestination;
    if (mapping === 'unknown') notes.push(`mapping: ${chosen.mapping.reason}`);
  } else if (isUnNatted(primaryMapped, localPort)) {
    mapping = 'none';
  } else {
    const fallback = compareAcrossServers(answered.filter((p) => p.target.family === primary.target.family));
    mapping = fallback.mapping;
    variesByDestination = fallback.varies;
    if (chosen) notes.push(`mapping: ${chosen.mapping.reason}`);
    notes.push(`mapping: ${fallback.reason}`);
  }

  let filtering: NatResult['filtering'] = 'unknown';
  if (chosen && chosen.refutation === null) {
    filtering = chosen.filtering.filtering;
  } else if (chosen) {
    notes.push(`filtering: ${chosen.probe.target.server} cannot test it: ${chosen.refutation}`);
  } else {
    notes.push(`filtering: no server could test it (${probes.find((p) => p.otherProblem)?.otherProblem ?? 'none advertised an alternate address'})`);
  }

  const udp = 'ok' as const;
  const type = classicNatType({ udp, mapping, filtering, mappingVariesByDestination: variesByDestination });
  const portPreservation = mapping === 'none' ? true : localPort > 0 ? primaryMapped.port === localPort : null;
  const algs = probes.map((p) => p.algRewrite).filter((a): a is boolean => a !== null);
  const alg = algs.length === 0 ? null : algs.some((a) => a);
  return {
    nat: { udp, mapping, filtering, type, portPreservation, hairpinning: null, alg },
    publicAddress: { address: primaryMapped.address, port: primaryMapped.port },
  };
}

/**
 * Without RFC 5780, one local socket's mappings seen by servers at different IPs still tell
 * endpoint-independent from "varies by destination" — never which of ADM/APDM it is.
 */
export function compareAcrossServers(probes: ServerProbe[]): { mapping: NatResult['mapping']; varies: boolean; reason: string } {
  const distinct = new Map<string, ServerProbe>();
  for (const p of probes) if (!distinct.has(normalizeIp(p.target.address))) distinct.set(normalizeIp(p.target.address), p);
  const views = [...distinct.values()];
  if (views.length < 2) {
    return { mapping: 'unknown', varies: false, reason: 'only one server answered and it cannot run RFC 5780 tests; add a second server to compare mappings' };
  }
  const first = views[0]?.mapped as NonNullable<ServerProbe['mapped']>;
  const varies = views.some((p) => p.mapped && !sameAddress(p.mapped, first));
  return varies
    ? { mapping: 'unknown', varies: true, reason: `the public port changes with the destination (compared across ${views.length} servers): address- or address-and-port-dependent` }
    : { mapping: 'endpoint-independent', varies: false, reason: `the same public address and port towards ${views.length} servers at different IPs` };
}

/**
 * The values of the promises that have settled by now; pending ones are left out. (A promise that
 * already settled wins a race against a fresh resolved one: its reaction is queued first.)
 */
async function settledSoFar<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const out: T[] = [];
  const pending = {};
  await Promise.all(promises.map(async (p) => {
    const value = await Promise.race([p, Promise.resolve(pending)]).catch(() => pending);
    if (value !== pending) out.push(value as T);
  }));
  return out;
}

/** Resolves with the first settled value that matches, or null once all settled without one. */
async function firstMatching<T>(promises: Promise<T>[], matches: (value: T) => boolean): Promise<T | null> {
  if (promises.length === 0) return null;
  return new Promise<T | null>((resolve) => {
    let pending = promises.length;
    for (const promise of promises) {
      promise.then(
        (value) => {
          if (matches(value)) resolve(value);
          if (--pending === 0) resolve(null);
        },
        () => {
          if (--pending === 0) resolve(null);
        },
      );
    }
  });
}

export type { ResolvedServer };

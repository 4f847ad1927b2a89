// How long does the NAT keep an idle UDP mapping? RFC 5780 §4.6: socket X learns its mapping and
// falls silent; after T seconds socket Y asks the server to answer to X's public port
// (RESPONSE-PORT). An answer on X means the mapping survived T.
//
// Instead of one X probed again and again (each probe would refresh the mapping), every trial has
// its own X, and trials run in parallel: a coarse grid (every 5 s up to a minute, then doubling
// steps) started at once, then — if the first expiry falls in a wide step — a 5 s grid inside it.
// The answer comes a few seconds after the lifetime itself instead of after a long sequential search.
//
// Two lifetimes are measured side by side, because NATs keep a flow that went both ways longer than
// a one-shot exchange: Linux (net/netfilter/nf_conntrack_proto_udp.c) gives a new mapping
// `nf_conntrack_udp_timeout` (30 s) and moves it to `nf_conntrack_udp_timeout_stream` (120 s) once
// it has seen an answer and, more than 2 s after its first packet, another packet (older kernels:
// any packet after the answer). "One-shot" trials send one request, get one answer and fall idle —
// the contract's `bindingLifetime`. "Established" trials exchange a second request and answer
// ESTABLISH_GAP_MS later, as a tunnel's handshake and first packets do, and then fall idle.
import type { BindingLifetime, LifetimeBracket } from '../report/types';
import { measuredSchedule } from '../net/retransmission';
import { abortableDelay } from '../net/abortableDelay';
import { UdpTransactions } from '../net/udpTransactions';
import { bindingRequest, watchBindingResponse } from '../stun/bindingTransaction';
import { mappedAddressOf } from '../stun/binding';
import { newTransactionId } from '../stun/stunMessage';
import type { ResolvedServer } from '../stun/stunServers';
import type { ProgressListener } from '../progress';
import { DEFAULT_MAX_LIFETIME_SEC } from '../timeouts';

export const LIFETIME_RESOLUTION_SEC = 5;
/** Between an established trial's two exchanges: past the 2 s after which Linux calls a flow a stream. */
export const ESTABLISH_GAP_MS = 2_500;

/** One request and answer, or a flow that went both ways across ESTABLISH_GAP_MS, before the idle time. */
export type TrialFlow = 'one-shot' | 'established';

export interface LifetimeOptions {
  server: ResolvedServer;
  rttMs: number;
  /** Longest idle time tried; a NAT that keeps mappings longer is reported as "at least" this. */
  maxSeconds?: number;
  signal: AbortSignal;
  onProgress?: ProgressListener;
  /** For tests: the idle times of the coarse grid, in seconds. */
  grid?: readonly number[];
}

export type LifetimeOutcome =
  /** `notes`: why the established lifetime is null, when it is. */
  | { kind: 'measured'; lifetime: BindingLifetime; notes: string[] }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'failed'; reason: string };

export function coarseGrid(maxSeconds: number): number[] {
  const grid: number[] = [];
  for (let t = LIFETIME_RESOLUTION_SEC; t <= 60; t += LIFETIME_RESOLUTION_SEC) grid.push(t);
  for (const t of [90, 120, 180, 240, 300, 450, 600, 900, 1200]) grid.push(t);
  return grid.filter((t) => t <= maxSeconds);
}

/** The fine grid inside (lower, upper): every 5 s. */
export function fineGrid(lower: number, upper: number): number[] {
  const grid: number[] = [];
  for (let t = lower + LIFETIME_RESOLUTION_SEC; t < upper; t += LIFETIME_RESOLUTION_SEC) grid.push(t);
  return grid;
}

/**
 * From trial results (idle seconds → alive), the bracket around the first expiry: the longest
 * survival below the first death. Later survivals after a death (loss, a NAT under load) are ignored.
 */
export function bracket(results: ReadonlyMap<number, boolean>): { lower: number; upper: number | null } {
  const times = [...results.keys()].sort((a, b) => a - b);
  let lower = 0;
  for (const t of times) {
    if (results.get(t)) lower = t;
    else return { lower, upper: t };
  }
  return { lower, upper: null };
}

type SearchOutcome = { kind: 'measured'; lifetime: LifetimeBracket } | { kind: 'failed'; reason: string };

export async function measureBindingLifetime(options: LifetimeOptions): Promise<LifetimeOutcome> {
  const { server, signal } = options;
  const maxSeconds = options.maxSeconds ?? DEFAULT_MAX_LIFETIME_SEC;
  const progress = options.onProgress ?? (() => undefined);
  const schedule = measuredSchedule(options.rttMs);
  const primary = { address: server.address, port: server.port };
  const prober = await UdpTransactions.open({ family: server.family });
  const sockets = new Set<UdpTransactions>([prober]);

  /** Opens a fresh X, sets up its mapping as `flow` says, and after `idleSec` asks for an answer to it. */
  const trial = async (idleSec: number, flow: TrialFlow, trialSignal: AbortSignal): Promise<boolean | 'no-mapping' | 'unsupported'> => {
    const x = await UdpTransactions.open({ family: server.family });
    sockets.add(x);
    try {
      const first = await bindingRequest(x, primary, {}, schedule, trialSignal);
      if (first.kind !== 'answer' || first.value.kind !== 'success') return 'no-mapping';
      let mapped = mappedAddressOf(first.value);
      if (!mapped) return 'no-mapping';
      if (flow === 'established') {
        await abortableDelay(ESTABLISH_GAP_MS, trialSignal);
        if (trialSignal.aborted) return 'no-mapping';
        const second = await bindingRequest(x, primary, {}, schedule, trialSignal);
        if (second.kind !== 'answer' || second.value.kind !== 'success') return 'no-mapping';
        // The NAT may have re-mapped in between: the answer names the mapping that now exists.
        mapped = mappedAddressOf(second.value) ?? mapped;
      }
      if (idleSec > 0) await abortableDelay(idleSec * 1000, trialSignal);
      if (trialSignal.aborted) return 'no-mapping';
      const transactionId = newTransactionId();
      // The prober never gets an answer when RESPONSE-PORT works (it goes to X): its own wait is
      // the schedule's, and X listens as long.
      const [onX, onY] = await Promise.all([
        watchBindingResponse(x, transactionId, primary, schedule.silenceAtMs, trialSignal),
        bindingRequest(prober, primary, { transactionId, responsePort: mapped.port }, schedule, trialSignal),
      ]);
      if (onX.kind === 'answer') return true;
      // The answer came back to the prober: the server ignored RESPONSE-PORT.
      if (onY.kind === 'answer') return 'unsupported';
      return false;
    } finally {
      sockets.delete(x);
      await x.close();
    }
  };

  /** Runs trials for every idle time at once; stops the rest as soon as the bracket is known. */
  const runGrid = async (grid: readonly number[], flow: TrialFlow): Promise<Map<number, boolean> | 'unsupported' | 'no-mapping'> => {
    const stop = new AbortController();
    const gridSignal = AbortSignal.any([signal, stop.signal]);
    const results = new Map<number, boolean>();
    let failure: 'unsupported' | 'no-mapping' | null = null;
    const what = flow === 'one-shot' ? 'Idle mapping' : 'Established mapping';
    await Promise.all(
      grid.map(async (idleSec) => {
        const outcome = await trial(idleSec, flow, gridSignal);
        if (stop.signal.aborted) return;
        if (outcome === 'unsupported' || outcome === 'no-mapping') {
          failure ??= outcome;
          stop.abort();
          return;
        }
        results.set(idleSec, outcome);
        progress({ phase: 'lifetime', message: `${what} ${outcome ? 'survived' : 'expired after'} ${idleSec} s` });
        // Every shorter trial has finished and one of them, or this, expired: nothing left to learn.
        const shorter = grid.filter((t) => t <= idleSec);
        if (shorter.every((t) => results.has(t)) && shorter.some((t) => results.get(t) === false)) stop.abort();
      }),
    );
    return failure ?? results;
  };

  /** The coarse grid, then the fine one inside a wide bracket. */
  const search = async (flow: TrialFlow): Promise<SearchOutcome> => {
    const stopped = { kind: 'failed', reason: 'stopped before the measurement finished' } as const;
    const silent = { kind: 'failed', reason: 'the server stopped answering during the measurement' } as const;
    const coarse = await runGrid(options.grid ?? coarseGrid(maxSeconds), flow);
    if (coarse === 'unsupported' || coarse === 'no-mapping') return silent;
    if (signal.aborted) return stopped;
    let { lower, upper } = bracket(coarse);
    if (upper === null) return { kind: 'measured', lifetime: { seconds: null, lowerSec: lower, upperSec: lower } };
    if (upper - lower > 2 * LIFETIME_RESOLUTION_SEC) {
      progress({ phase: 'lifetime', message: `${flow === 'one-shot' ? 'Idle' : 'Established'} mapping expired between ${lower} and ${upper} s; narrowing down` });
      const fine = await runGrid(fineGrid(lower, upper), flow);
      if (fine === 'unsupported' || fine === 'no-mapping') return silent;
      if (signal.aborted) return stopped;
      const narrowed = bracket(new Map([...fine, [lower, true], [upper, false]]));
      lower = narrowed.lower;
      upper = narrowed.upper ?? upper;
    }
    return { kind: 'measured', lifetime: { seconds: Math.round((lower + upper) / 2), lowerSec: lower, upperSec: upper } };
  };

  try {
    progress({ phase: 'lifetime', message: 'Checking that the server supports RESPONSE-PORT' });
    const support = await trial(0, 'one-shot', signal);
    if (support === 'unsupported') {
      return { kind: 'unsupported', reason: `${server.server} ignores RESPONSE-PORT (RFC 5780 §7.5), so the lifetime cannot be measured with it` };
    }
    if (support !== true) {
      return { kind: 'unsupported', reason: `${server.server} did not answer a RESPONSE-PORT request (it may not support RFC 5780 §4.6)` };
    }

    progress({ phase: 'lifetime', message: `Leaving mappings idle for up to ${maxSeconds} s, one-shot and established` });
    const [oneShot, established] = await Promise.all([search('one-shot'), search('established')]);
    if (oneShot.kind === 'failed') return oneShot;
    const lifetime: BindingLifetime = { ...oneShot.lifetime, established: established.kind === 'measured' ? established.lifetime : null };
    return { kind: 'measured', lifetime, notes: established.kind === 'failed' ? [`established lifetime: ${established.reason}`] : [] };
  } finally {
    await Promise.all([...sockets].map((s) => s.close()));
  }
}

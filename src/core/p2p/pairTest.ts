// The live pair test, one side of it: gather candidates on one UDP socket (host addresses and the
// server-reflexive address a STUN server sees; the ports this NAT will probably give next where it
// counts up), put them in a token with the NAT summary, keep the mapping alive while the humans
// copy and paste, then run the connectivity checks (connectivityChecks.ts) against the peer's
// candidates and say what happened. No server of ours: the tokens travel by chat.
//
// The order of the first checks matters where a NAT counts ports up: the n-th new flow leaves
// from the n-th next port. The peer predicted its next ports counting from its STUN mapping; we
// aim at them in that order first, and the peer aims at ours in the same order — so flow n on
// each side meets flow n on the other. Only then the server-reflexive and host candidates.
import { isIP } from 'node:net';
import { formatAddress, isParseError, parseHostPort } from '../net/endpoint';
import { UdpTransactions } from '../net/udpTransactions';
import type { ProgressListener } from '../progress';
import type { Report } from '../report/types';
import { mappedAddressOf } from '../stun/binding';
import { bindingRequest } from '../stun/bindingTransaction';
import { shortTermKey } from '../stun/credentials';
import { INITIAL_SCHEDULE } from '../net/retransmission';
import {
  PacketBudget, PAIR_PACKET_LIMIT, PAIR_PACKETS_PER_SECOND, describeTarget, runConnectivityChecks, type CheckOutcome, type CheckTarget,
} from './connectivityChecks';
import { predictPair, summarizeReport, type PairPrediction, type PeerNatSummary } from './pairPrediction';
import {
  decodePairToken, derivePassword, encodePairToken, expandCandidate, newSecret, newUfrag, type DecodedToken, type PairCandidate, type PairRole, type PairToken,
} from './pairToken';

/** The pair test result JSON (a contract: the fields up to `detail`); the rest is extra. */
export interface PairResult {
  schemaVersion: 1;
  result: 'direct' | 'failed';
  /** `local`: this side as the peer saw it on the path; `remote`: the peer's address that answered. */
  path: { local: string; remote: string } | null;
  rttMs: number | null;
  prediction: PairPrediction;
  durationMs: number;
  detail: string;
  role: PairRole;
  /** Every packet this side sent to the peer's candidates (checks and answers). */
  packetsSent: number;
}

/** How long a token stays valid: long enough for two people to copy and paste. */
export const TOKEN_LIFETIME_SEC = 600;
/** STUN keepalive while waiting: well inside the 30 s an idle UDP mapping lives on Linux (RFC 4787 REQ-5 asks ≥ 2 min). */
export const KEEPALIVE_MS = 15_000;
/** Predicted ports offered where the NAT counts up: room for a few flows of other hosts in between. */
export const PREDICTED_PORTS = 8;
/** Host candidates offered, at most. */
const MAX_HOST_CANDIDATES = 3;

export interface PairSideOptions {
  /** This machine's diagnosis: the NAT summary, host addresses and the STUN server to use. */
  report: Report;
  signal: AbortSignal;
  /** Bind the punching socket to this port (default: a random one). */
  localPort?: number;
  onProgress?: ProgressListener;
  /** Seconds since 1970 (tests). */
  nowSec?: () => number;
}

export class PairSide {
  private keepalive: NodeJS.Timeout | undefined;
  private closed = false;
  private keepalivesSent = 0;

  private constructor(
    readonly role: PairRole,
    private readonly socket: UdpTransactions,
    private readonly secret: Buffer,
    private readonly ufrag: string,
    readonly summary: PeerNatSummary,
    readonly candidates: PairCandidate[],
    /** Our token, `ndpair1:…`, one line. */
    readonly token: string,
    /** When it expires, seconds since 1970. */
    readonly expiresAt: number,
    private readonly stun: { address: string; port: number } | null,
    private readonly options: PairSideOptions,
  ) {}

  /**
   * Opens the punching socket, learns its server-reflexive address and makes the token. An answer
   * needs the decoded offer. An error string when this side cannot take part (no socket, no address).
   */
  static async open(options: PairSideOptions & ({ role: 'offer' } | { role: 'answer'; offer: PairToken })): Promise<PairSide | { error: string }> {
    const summary = summarizeReport(options.report);
    let socket: UdpTransactions;
    try {
      socket = await UdpTransactions.open({ family: 'IPv4', ...(options.localPort !== undefined ? { port: options.localPort } : {}) });
    } catch (err) {
      return { error: `cannot open a UDP socket${options.localPort !== undefined ? ` on port ${options.localPort}` : ''}: ${(err as Error).message}` };
    }
    try {
      const stun = stunServerOf(options.report);
      const candidates: PairCandidate[] = [];
      let srflx: { address: string; port: number } | undefined;
      if (stun) {
        options.onProgress?.({ phase: 'pair', message: 'Learning the public address of the test socket' });
        const outcome = await bindingRequest(socket, stun, {}, INITIAL_SCHEDULE, options.signal);
        const mapped = outcome.kind === 'answer' && outcome.value.kind === 'success' ? mappedAddressOf(outcome.value) : undefined;
        if (mapped && mapped.family === 'IPv4') srflx = { address: mapped.address, port: mapped.port };
      }
      // Where our NAT counts up, the next flows (towards the peer) get the next ports (RFC 4787 §4.2).
      const pa = summary.portAllocation;
      const varies = summary.mapping === 'address-dependent' || summary.mapping === 'address-and-port-dependent' || summary.type === 'symmetric';
      if (srflx && varies && pa?.pattern === 'sequential' && pa.delta) {
        candidates.push({ kind: 'predicted', address: srflx.address, port: wrapPort(srflx.port + pa.delta), step: pa.delta, count: PREDICTED_PORTS });
      }
      if (srflx) candidates.push({ kind: 'srflx', ...srflx });
      const hosts = (options.report.candidates ?? [])
        .filter((c) => c.type === 'host' && isIP(c.address) === 4 && !c.address.startsWith('127.') && !c.source.includes('(VPN)'))
        .slice(0, MAX_HOST_CANDIDATES);
      for (const h of hosts) if (!candidates.some((c) => c.address === h.address)) candidates.push({ kind: 'host', address: h.address, port: socket.localPort });
      if (candidates.length === 0) {
        await socket.close();
        return { error: 'no address to offer the peer: no STUN server answered the test socket and this machine has no IPv4 address' };
      }
      const secret = options.role === 'offer' ? newSecret() : options.offer.secret;
      const ufrag = newUfrag();
      const now = options.nowSec?.() ?? Math.floor(Date.now() / 1000);
      const tokenSummary: PeerNatSummary = { ...summary, publicAddress: srflx?.address ?? null };
      const expiresAt = now + TOKEN_LIFETIME_SEC;
      const token = encodePairToken({ role: options.role, expiresAt, secret, ufrag, summary: tokenSummary, candidates });
      const side = new PairSide(options.role, socket, secret, ufrag, tokenSummary, candidates, token, expiresAt, stun, options);
      side.startKeepalive();
      return side;
    } catch (err) {
      await socket.close();
      throw err;
    }
  }

  /** Reads the peer's answer (offer side): it must be made for our offer. */
  readAnswer(text: string): DecodedToken {
    return decodePairToken(text, { expect: 'answer', secret: this.secret, ...(this.options.nowSec ? { nowSec: this.options.nowSec() } : {}) });
  }

  /** The peer's token: the offer we answer, or the answer `readAnswer` returned. */
  async connect(peer: PairToken, timeoutMs: number): Promise<PairResult> {
    const started = performance.now();
    const prediction = predictPair(this.summary, peer.summary, ['you', 'your peer']);
    const targets = orderTargets(peer.candidates);
    const peerRole: PairRole = this.role === 'offer' ? 'answer' : 'offer';
    const budget = new PacketBudget(PAIR_PACKET_LIMIT, PAIR_PACKETS_PER_SECOND);
    this.options.onProgress?.({ phase: 'pair', message: `Trying ${targets.length} candidate pair${targets.length === 1 ? '' : 's'} at once` });
    const outcome = await runConnectivityChecks({
      socket: this.socket,
      credentials: {
        localUfrag: this.ufrag,
        remoteUfrag: peer.ufrag,
        localKey: shortTermKey(derivePassword(this.secret, this.role)),
        remoteKey: shortTermKey(derivePassword(this.secret, peerRole)),
        controlling: this.role === 'offer',
      },
      targets,
      deadlineMs: timeoutMs,
      budget,
      signal: this.options.signal,
    });
    const durationMs = Math.round(performance.now() - started);
    return describeOutcome(outcome, { role: this.role, prediction, targets, durationMs });
  }

  private startKeepalive(): void {
    const tick = (): void => {
      if (this.closed || !this.stun || this.options.signal.aborted) return;
      // The answer is not awaited for anything: it only keeps the mapping (and the pinhole) fresh.
      this.keepalivesSent++;
      void bindingRequest(this.socket, this.stun, {}, { sendAtMs: [0], silenceAtMs: 3000 }, this.options.signal);
      this.keepalive = setTimeout(tick, KEEPALIVE_MS);
    };
    this.keepalive = setTimeout(tick, KEEPALIVE_MS);
  }

  get keepalives(): number {
    return this.keepalivesSent;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.keepalive) clearTimeout(this.keepalive);
    await this.socket.close();
  }
}

function wrapPort(p: number): number {
  return ((((p - 1) % 65535) + 65535) % 65535) + 1;
}

/** The STUN server the report's NAT tests used (the RFC 5780 one first), as an IPv4 address and port. */
function stunServerOf(report: Report): { address: string; port: number } | null {
  const answered = report.servers.filter((s) => s.rttMs !== null && isIP(s.address) === 4);
  const chosen = answered.find((s) => s.rfc5780) ?? answered[0];
  if (!chosen) return null;
  const hp = parseHostPort(chosen.server);
  return isParseError(hp) ? null : { address: chosen.address, port: hp.port };
}

/** Predicted ports first (in the order the peer's NAT will hand them out), then server-reflexive, then host. */
export function orderTargets(candidates: readonly PairCandidate[]): CheckTarget[] {
  const out: CheckTarget[] = [];
  const add = (t: CheckTarget): void => {
    if (!out.some((o) => o.address === t.address && o.port === t.port)) out.push(t);
  };
  for (const kind of ['predicted', 'srflx', 'host'] as const) {
    for (const c of candidates.filter((x) => x.kind === kind)) for (const a of expandCandidate(c)) add({ ...a, kind });
  }
  return out;
}

function describeOutcome(
  outcome: CheckOutcome,
  context: { role: PairRole; prediction: PairPrediction; targets: readonly CheckTarget[]; durationMs: number },
): PairResult {
  const extra = { role: context.role, packetsSent: outcome.stats.sent };
  const ignored = Object.entries(outcome.stats.ignored);
  const ignoredWords = ignored.length > 0 ? ` Ignored ${ignored.reduce((n, [, c]) => n + c, 0)} packet(s) that did not authenticate (${ignored.map(([why, c]) => `${c}× ${why}`).join('; ')}).` : '';
  if (outcome.kind === 'direct') {
    const remote = outcome.remote;
    const viaPrediction = remote.kind === 'predicted' ? ' — a port predicted from its NAT’s sequential allocation' : '';
    return {
      schemaVersion: 1,
      result: 'direct',
      path: { local: outcome.seenAs ? formatAddress(outcome.seenAs) : 'unknown', remote: formatAddress(remote) },
      rttMs: outcome.rttMs,
      prediction: context.prediction,
      // Until the round trip, not until this side stopped answering the peer's last checks.
      durationMs: outcome.atMs,
      detail: `Authenticated round trip with the peer's ${describeTarget(remote)}${viaPrediction}, after trying ${outcome.stats.pairs} candidate pair(s).${ignoredWords}`,
      ...extra,
    };
  }
  const shown = context.targets.slice(0, 4).map(describeTarget).join(', ');
  const more = context.targets.length > 4 ? ` and ${context.targets.length - 4} more` : '';
  const reached = outcome.stats.answered > 0 ? ` The peer's checks reached us (${outcome.stats.answered} answered), but none of our answers or checks got back through its NAT.` : ' No check from the peer reached us.';
  const why =
    context.prediction.verdict === 'relay'
      ? ' As predicted: these two NATs leave no port to aim at, so a relay (TURN) is needed.'
      : ` The prediction expected ${context.prediction.verdict}: if the peer started in time, something on the path (a firewall, other traffic taking the predicted ports) differs from what the reports measured.`;
  const budget = outcome.stats.refused > 0 ? ` ${outcome.stats.refused} transmission(s) were held back by the packet limit.` : '';
  return {
    schemaVersion: 1,
    result: 'failed',
    path: null,
    rttMs: null,
    prediction: context.prediction,
    durationMs: context.durationMs,
    detail:
      (outcome.aborted ? 'Stopped before a direct path was found. ' : '') +
      `Tried ${context.targets.length} candidate(s) (${shown}${more}) for ${(context.durationMs / 1000).toFixed(1)} s without an authenticated answer.${reached}${why}${ignoredWords}${budget}`,
    ...extra,
  };
}



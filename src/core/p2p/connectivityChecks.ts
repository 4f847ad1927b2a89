// ICE-style connectivity checks (RFC 8445 §7.2) between two peers that exchanged pair tokens: a
// STUN Binding request with USERNAME "theirs:ours", PRIORITY, ICE-CONTROLLING or -CONTROLLED,
// MESSAGE-INTEGRITY under the receiving peer's short-term key and FINGERPRINT, to every candidate
// at once; the peer answers with XOR-MAPPED-ADDRESS under the same key (§7.3.1.1). The first
// authenticated round trip wins (§7.2.5.2: the answer must come from where the request went).
//
// Only the session's keys make a packet count: a stranger's packet, a packet replayed from an
// earlier session, or our own check looping back to us (two LANs with the same addresses, §5.1.1.1
// candidates colliding) never authenticates, because
// - requests to us must carry our username fragment first and verify under *our* key, while our
//   own checks carry the peer's first and verify under *the peer's* key;
// - a success counts only for a transaction id we sent, from the address we sent it to, under the
//   peer's key — and transaction ids are fresh random 96-bit values.
// Every packet comes out of one budget (a few hundred, rate-limited); every transaction ends at
// the deadline or on success, and nothing stays subscribed to the socket.
import { randomBytes } from 'node:crypto';
import { formatAddress, sameAddress, type SocketAddress } from '../net/endpoint';
import type { Schedule, UdpTransactions } from '../net/udpTransactions';
import { ATTR, encodeXorAddress, decodeXorAddress, uint32Value, type StunAddress } from '../stun/stunAttributes';
import { METHOD, decodeStunMessage, encodeStunMessage, getAttribute, newTransactionId, verifyIntegrity, type StunMessage } from '../stun/stunMessage';

export interface CheckTarget {
  address: string;
  port: number;
  /** Where the peer's token said it is: host, server-reflexive, predicted; or learnt from its check. */
  kind: 'host' | 'srflx' | 'predicted' | 'peer-reflexive';
}

/** Caps what one side sends: a total, and a rate over any second. */
export class PacketBudget {
  private readonly recent: number[] = [];
  used = 0;
  refused = 0;
  constructor(
    readonly limit: number,
    readonly perSecond: number,
  ) {}

  take(now = performance.now()): boolean {
    while (this.recent.length > 0 && (this.recent[0] as number) <= now - 1000) this.recent.shift();
    if (this.used >= this.limit || this.recent.length >= this.perSecond) {
      this.refused++;
      return false;
    }
    this.used++;
    this.recent.push(now);
    return true;
  }
}

/** At most this many packets of checks and answers per side and session ("a few hundred"). */
export const PAIR_PACKET_LIMIT = 300;
/** …and at most this many in any second. */
export const PAIR_PACKETS_PER_SECOND = 100;
/** Triggered checks towards addresses the tokens did not name (peer-reflexive), at most. */
const MAX_TRIGGERED = 8;
/** Spacing of the first checks, in target order: a NAT that counts ports up sees them in that order. */
const PACING_MS = 5;
/** Retransmissions while the peer may already be there: RTO 100 ms, doubling (RFC 8445 §14.3's pacing, RFC 8489 §6.2.1). */
const FAST_SENDS_MS = [0, 100, 300, 700, 1500, 3100];
/** After the fast sends, one check per pair this often: keeps the pinholes open (Linux forgets an unanswered UDP flow after 30 s). */
export const PINHOLE_REFRESH_MS = 10_000;

export function checkSchedule(offsetMs: number, deadlineMs: number): Schedule {
  const sends = FAST_SENDS_MS.map((t) => t + offsetMs).filter((t) => t < deadlineMs);
  for (let t = offsetMs + (FAST_SENDS_MS.at(-1) as number) + PINHOLE_REFRESH_MS; t < deadlineMs; t += PINHOLE_REFRESH_MS) sends.push(t);
  return { sendAtMs: sends, silenceAtMs: Math.max(deadlineMs, 1) };
}

export interface CheckCredentials {
  /** Our username fragment and the peer's. */
  localUfrag: string;
  remoteUfrag: string;
  /** Requests to us verify under this key; our answers are signed with it. */
  localKey: Buffer;
  /** Our requests are signed with this key; the peer's answers verify under it. */
  remoteKey: Buffer;
  /** The offerer controls (RFC 8445 §6.1.1); it only decides which ICE attribute we send. */
  controlling: boolean;
}

export interface CheckStats {
  pairs: number;
  /** Check and answer packets sent. */
  sent: number;
  /** Authenticated requests from the peer that we answered. */
  answered: number;
  /** Datagrams that did not authenticate (strangers, replays, our own looped checks), by why. */
  ignored: Record<string, number>;
  /** Transmissions the budget refused. */
  refused: number;
}

export type CheckOutcome =
  /** `atMs`: when the round trip completed, after the checks started. */
  | { kind: 'direct'; remote: CheckTarget; seenAs: StunAddress | null; rttMs: number; atMs: number; stats: CheckStats }
  | { kind: 'failed'; aborted: boolean; stats: CheckStats };

export interface CheckOptions {
  socket: UdpTransactions;
  credentials: CheckCredentials;
  /** In the order the first checks should leave (predicted ports first, see pairTest.ts). */
  targets: readonly CheckTarget[];
  deadlineMs: number;
  budget: PacketBudget;
  signal: AbortSignal;
  /** Once we have our round trip: how long to keep answering so the peer gets its own (max). */
  lingerMs?: number;
}

/** RFC 8445 §5.1.2.1 with type preference 126 (host), 100 (srflx), 110 (prflx); one component. */
function priority(kind: CheckTarget['kind']): number {
  const type = kind === 'host' ? 126 : kind === 'peer-reflexive' ? 110 : 100;
  return type * 2 ** 24 + 65_535 * 2 ** 8 + 255;
}

export function runConnectivityChecks(options: CheckOptions): Promise<CheckOutcome> {
  const { socket, credentials: creds, budget, signal } = options;
  const stop = new AbortController();
  const checkSignal = AbortSignal.any([signal, stop.signal]);
  const tieBreaker = randomBytes(8);
  const stats: CheckStats = { pairs: 0, sent: 0, answered: 0, ignored: {}, refused: 0 };
  const ignore = (why: string): void => {
    stats.ignored[why] = (stats.ignored[why] ?? 0) + 1;
  };
  const started = performance.now();
  const checked: CheckTarget[] = [];
  const triggeredFor = new Set<string>();
  let triggeredKnown = 0;
  let settle: (outcome: CheckOutcome) => void = () => undefined;
  let success: Extract<CheckOutcome, { kind: 'direct' }> | undefined;

  const send = (): boolean => {
    if (!budget.take()) {
      stats.refused++;
      return false;
    }
    stats.sent++;
    return true;
  };

  const check = (target: CheckTarget, schedule: Schedule): void => {
    if (!checked.some((t) => sameAddress(t, target))) {
      checked.push(target);
      stats.pairs++;
    }
    const transactionId = newTransactionId();
    const kind = target.kind;
    const packet = encodeStunMessage(
      METHOD.binding,
      'request',
      transactionId,
      [
        { type: ATTR.USERNAME, value: Buffer.from(`${creds.remoteUfrag}:${creds.localUfrag}`, 'utf8') },
        { type: ATTR.PRIORITY, value: uint32Value(priority(kind)) },
        { type: creds.controlling ? ATTR.ICE_CONTROLLING : ATTR.ICE_CONTROLLED, value: tieBreaker },
      ],
      { integrity: { key: creds.remoteKey }, fingerprint: true },
    );
    void socket
      .request({
        to: { address: target.address, port: target.port },
        packet: () => (send() ? packet : null),
        match: (datagram) => matchSuccess(datagram, transactionId, creds.remoteKey, ignore),
        schedule,
        signal: checkSignal,
      })
      .then((outcome) => {
        if (outcome.kind === 'answer' && !success) {
          success = { kind: 'direct', remote: target, seenAs: outcome.value, rttMs: Math.round(outcome.rttMs * 10) / 10, atMs: Math.round(performance.now() - started), stats };
          stop.abort(); // no more checks; keep answering the peer for a moment (below)
          lingerThenSettle();
        }
      });
  };

  // Answers to the peer's checks, and triggered checks back to where they came from (§7.3.1.4).
  const unsubscribe = socket.onUnmatched((datagram, from) => {
    const request = authenticateRequest(datagram, creds, ignore);
    if (!request) return;
    if (send()) {
      const answer = encodeStunMessage(METHOD.binding, 'success', request.transactionId, [{ type: ATTR.XOR_MAPPED_ADDRESS, value: encodeXorAddress(from, request.transactionId) }], {
        integrity: { key: creds.localKey },
        fingerprint: true,
      });
      void socket.sendRaw(answer, from);
      stats.answered++;
    }
    if (success || checkSignal.aborted) return;
    // The peer is there now: check the path its request came by at once, fast (a triggered check),
    // once per address. From a target we already check, it is the same flow (no new mapping on
    // our NAT); from elsewhere it is a new, peer-reflexive candidate.
    const key = formatAddress(from);
    if (triggeredFor.has(key)) return;
    const known = checked.find((t) => sameAddress(t, from));
    if (!known && triggeredFor.size - triggeredKnown >= MAX_TRIGGERED) return;
    triggeredFor.add(key);
    if (known) triggeredKnown++;
    const elapsed = performance.now() - started;
    check(known ?? { address: from.address, port: from.port, kind: 'peer-reflexive' }, checkSchedule(0, Math.max(1, options.deadlineMs - elapsed)));
  });

  let lingerTimer: NodeJS.Timeout | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const finish = (outcome: CheckOutcome): void => {
    if (lingerTimer) clearTimeout(lingerTimer);
    if (deadlineTimer) clearTimeout(deadlineTimer);
    signal.removeEventListener('abort', onAbort);
    stop.abort();
    unsubscribe();
    settle(outcome);
  };
  const lingerThenSettle = (): void => {
    const s = success as Extract<CheckOutcome, { kind: 'direct' }>;
    if (deadlineTimer) clearTimeout(deadlineTimer);
    const maxLinger = options.lingerMs ?? 2000;
    const minLinger = Math.min(maxLinger, Math.max(200, 3 * s.rttMs + 50));
    const lingerStart = performance.now();
    // Done once the peer has had an answer from us (it then has its round trip too) and a few
    // RTTs passed for its retransmissions; at the latest after maxLinger.
    const poll = (): void => {
      const waited = performance.now() - lingerStart;
      if (waited >= maxLinger || (waited >= minLinger && stats.answered > 0)) finish(s);
      else lingerTimer = setTimeout(poll, Math.min(50, maxLinger - waited));
    };
    lingerTimer = setTimeout(poll, minLinger);
  };
  const onAbort = (): void => finish(success ?? { kind: 'failed', aborted: true, stats });

  return new Promise<CheckOutcome>((resolve) => {
    settle = resolve;
    if (signal.aborted) {
      finish({ kind: 'failed', aborted: true, stats });
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    deadlineTimer = setTimeout(() => finish(success ?? { kind: 'failed', aborted: false, stats }), Math.max(1, options.deadlineMs));
    options.targets.forEach((target, i) => check({ ...target }, checkSchedule(i * PACING_MS, options.deadlineMs)));
  });
}

/** A success answering `transactionId`, signed with `key`; anything else with that id is ignored (counted), not ours otherwise. */
function matchSuccess(datagram: Buffer, transactionId: Buffer, key: Buffer, ignore: (why: string) => void): { value: StunAddress | null } | { ignore: string } | undefined {
  const message = decodeStunMessage(datagram);
  if (!message || message.method !== METHOD.binding || !message.transactionId.equals(transactionId)) return undefined;
  if (message.cls === 'request') {
    // Our own check, delivered back to us (the peer's candidate is an address of ours).
    ignore('our own check, looped back');
    return { ignore: 'our own check came back to us' };
  }
  if (message.cls !== 'success') {
    ignore('error answer');
    return { ignore: 'an error answer' };
  }
  if (!message.fingerprint || !verifyIntegrity(message, key)) {
    ignore('answer without the peer’s MESSAGE-INTEGRITY');
    return { ignore: 'an answer that did not carry the peer’s MESSAGE-INTEGRITY' };
  }
  const xor = getAttribute(message, ATTR.XOR_MAPPED_ADDRESS);
  return { value: xor ? (decodeXorAddress(xor, message.transactionId) ?? null) : null };
}

/** A Binding request from the peer: our username fragment first, our key, FINGERPRINT. */
function authenticateRequest(datagram: Buffer, creds: CheckCredentials, ignore: (why: string) => void): StunMessage | undefined {
  const message = decodeStunMessage(datagram);
  if (!message || message.method !== METHOD.binding) {
    ignore('not a STUN Binding message');
    return undefined;
  }
  if (message.cls !== 'request') {
    ignore('an answer to no check of ours');
    return undefined;
  }
  const username = getAttribute(message, ATTR.USERNAME)?.toString('utf8');
  if (username !== `${creds.localUfrag}:${creds.remoteUfrag}`) {
    ignore(username === `${creds.remoteUfrag}:${creds.localUfrag}` ? 'our own check, looped back' : 'a request for another session');
    return undefined;
  }
  if (!message.fingerprint || !verifyIntegrity(message, creds.localKey)) {
    ignore('a request without valid MESSAGE-INTEGRITY');
    return undefined;
  }
  return message;
}

/** "host 192.0.2.2:4000" */
export function describeTarget(t: CheckTarget): string {
  const words = { host: 'host', srflx: 'server-reflexive', predicted: 'predicted', 'peer-reflexive': 'peer-reflexive' } as const;
  return `${words[t.kind]} ${formatAddress(t)}`;
}

export type { SocketAddress };

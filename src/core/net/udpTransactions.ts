// One UDP socket and the request/response transactions on it: the one transaction engine behind
// the RFC 5780 tests, every UDP probe and the gateway's NAT-PMP/PCP. A transaction transmits on a
// schedule, takes the first datagram its matcher recognises from the address it expects, and ends
// with an answer, silence, an ICMP error (connected sockets only: Linux icmp_err_convert maps port
// unreachable to ECONNREFUSED, prohibited/unreachable to EHOSTUNREACH, ENETUNREACH, EACCES), a send
// error or a cancel. Malformed, unsolicited and wrongly-sourced datagrams never end a transaction.
//
// Silence is the expensive answer. Besides the time limit of its schedule, a transaction can
// conclude silence from evidence (`Schedule.proof`): when a request to the same host that was sent
// *after* one of our transmissions has been answered, and ours has not, ours (or its answer) was
// dropped on the way. Enough such transmissions, and the silence is proven in a few RTTs.
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { closeSocket } from './closeSocket';
import { normalizeIp, sameAddress, type SocketAddress } from './endpoint';

export interface Schedule {
  /** When to transmit, in ms after the transaction starts; empty: only listen (see `watch`). */
  sendAtMs: readonly number[];
  /** Silence this long after the start, unless an answer or `proof` ends the transaction first. */
  silenceAtMs: number;
  /**
   * Conclude silence early once `transmissions` of ours are each followed by a later-sent, answered
   * request to the same host, `marginMs` after that answer arrived (the margin covers answers that
   * come from another address or port of the server and may be a little slower).
   */
  proof?: { transmissions: number; marginMs: number };
  /**
   * Conclude silence once the host is proven reachable by any answer in the log — another transport
   * included (a TCP SYN-ACK or RST) — when `minWaitMs` have passed since the start and `rtts` times
   * that answer's RTT: by then our own answer, if any was sent, would have come.
   */
  reachable?: { minWaitMs: number; rtts: number };
}

export type TransactionOutcome<T> =
  | {
      kind: 'answer';
      value: T;
      from: SocketAddress;
      rttMs: number;
      /** Index of the transmission answered; with identical retransmissions, the last one sent. */
      transmission: number;
      /** Several identical transmissions were out: the RTT is measured from the last (Karn). */
      ambiguous: boolean;
    }
  /** An answer came, but only from another address than the one required (RFC 5780 §4.4). */
  | { kind: 'wrong-source'; value: T; from: SocketAddress; rttMs: number }
  /** Nothing usable came back; `ignored` says why answers that did come were not counted. */
  | { kind: 'silence'; waitedMs: number; ignored: string[] }
  | { kind: 'refused' }
  | { kind: 'unreachable'; code: string }
  | { kind: 'send-error'; code: string; message: string }
  | { kind: 'aborted' };

/** What a matcher says of a datagram: the value it carries for us, an answer not to count, or not ours. */
export type MatchResult<T> = { value: T; transmission?: number } | { ignore: string } | undefined;

export interface TransactionSpec<T> {
  /** Destination; omitted on a connected socket. */
  to?: { address: string; port: number };
  /**
   * The datagram of each transmission: the same bytes for a retransmission, or a fresh one.
   * `null` skips that transmission (a packet budget or rate limit said no); the schedule goes on.
   */
  packet: Buffer | ((transmission: number) => Buffer | null);
  /** Recognises an answer. Called for datagrams from anywhere; must not throw (a throw means "not ours"). */
  match: (datagram: Buffer, from: SocketAddress) => MatchResult<T>;
  /** Where the answer must come from (default `to`); `null`: anywhere. */
  expectFrom?: { address: string; port: number } | null;
  schedule: Schedule;
  signal?: AbortSignal;
}

/**
 * Answers seen, by destination host: the evidence that proves silence. One log per socket by
 * default; share one between sockets (and TCP attempts) that talk to the same hosts.
 */
export class AnswerLog {
  private readonly entries: Array<{ host: string; sentAt: number; arrivedAt: number }> = [];
  private readonly listeners = new Set<() => void>();

  /** A request to `host` sent at `sentAt` was answered at `arrivedAt` (performance.now() times). */
  record(host: string, sentAt: number, arrivedAt: number): void {
    this.entries.push({ host: normalizeIp(host), sentAt, arrivedAt });
    if (this.entries.length > 256) this.entries.shift(); // old evidence proves nothing new
    for (const listener of [...this.listeners]) listener();
  }

  /** The shortest RTT of any answer from `host`, or undefined when it never answered. */
  fastestAnswerRtt(host: string): number | undefined {
    const h = normalizeIp(host);
    let best: number | undefined;
    for (const e of this.entries) if (e.host === h && (best === undefined || e.arrivedAt - e.sentAt < best)) best = e.arrivedAt - e.sentAt;
    return best;
  }

  /** The earliest arrival of an answer to a request sent to `host` at or after `since`. */
  firstAnswerSentSince(host: string, since: number): number | undefined {
    const h = normalizeIp(host);
    let earliest: number | undefined;
    for (const e of this.entries) if (e.host === h && e.sentAt >= since && (earliest === undefined || e.arrivedAt < earliest)) earliest = e.arrivedAt;
    return earliest;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export type UdpSocketOptions =
  /** `port`: bind this local port instead of a kernel-chosen one (the user asked for it). */
  | { family: 'IPv4' | 'IPv6'; log?: AnswerLog; port?: number }
  /** A connected socket hears ICMP errors for its peer (an IP literal). */
  | { connect: { address: string; port: number }; log?: AnswerLog };

const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM', 'EHOSTDOWN', 'ENONET']);

type Failure = Extract<TransactionOutcome<unknown>, { kind: 'refused' | 'unreachable' | 'send-error' }>;

/** Every way a transaction can end without an answer. */
export type TransactionFailure = Exclude<TransactionOutcome<never>, { kind: 'answer' | 'wrong-source' }>;

/** Maps a socket error to an outcome: ICMP-derived codes first, anything else as a send error. */
export function classifySocketError(err: unknown): Failure {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'ESOCKET';
  if (code === 'ECONNREFUSED') return { kind: 'refused' };
  if (UNREACHABLE_CODES.has(code)) return { kind: 'unreachable', code };
  return { kind: 'send-error', code, message: err instanceof Error ? err.message : String(err) };
}

interface Pending {
  offer(datagram: Buffer, from: SocketAddress): boolean;
  fail(outcome: Failure): void;
  abort(): void;
}

export class UdpTransactions {
  private readonly pending = new Set<Pending>();
  private readonly unmatchedListeners = new Set<(datagram: Buffer, from: SocketAddress) => void>();
  private readonly tooBigListeners = new Set<() => void>();
  /**
   * EMSGSIZE reports on this socket: an ICMP "fragmentation needed" / "packet too big" lowered the
   * kernel's path MTU for the peer (connected sockets; Linux reports it on a later send or as a
   * socket error). The datagram it refers to is lost, nothing else is wrong: transactions go on.
   */
  messageTooBig = 0;
  /** An ICMP error that arrived while nothing was pending (connected sockets): the next transaction's outcome. */
  private pendingError: Failure | undefined;
  private closed = false;
  private closedPromise: Promise<void> = Promise.resolve();
  /** Datagrams that answered nothing (malformed, unsolicited, late): shown in verbose output. */
  dropped = 0;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly family: 'IPv4' | 'IPv6',
    /** The peer of a connected socket. */
    readonly peer: { address: string; port: number } | undefined,
    readonly log: AnswerLog,
  ) {
    socket.on('message', (datagram, rinfo) => this.onDatagram(datagram, rinfo));
    socket.on('error', (err) => this.onSocketError(err));
  }

  /** Binds a fresh socket on a kernel-chosen (random) port (RFC 5780 §4.1) unless given one, connected if asked. */
  static async open(options: UdpSocketOptions): Promise<UdpTransactions> {
    const peer = 'connect' in options ? options.connect : undefined;
    const family = peer ? (peer.address.includes(':') ? 'IPv6' : 'IPv4') : (options as { family: 'IPv4' | 'IPv6' }).family;
    const socket = dgram.createSocket(family === 'IPv6' ? { type: 'udp6', ipv6Only: true } : { type: 'udp4' });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        void closeSocket(socket);
        reject(err);
      };
      socket.once('error', onError);
      const ready = (): void => {
        socket.off('error', onError);
        resolve();
      };
      if (peer) socket.connect(peer.port, peer.address, ready);
      else socket.bind((options as { port?: number }).port ?? 0, ready);
    });
    return new UdpTransactions(socket, family, peer, options.log ?? new AnswerLog());
  }

  /** A socket connected to `address:port` (an IP literal), or why none could be opened. */
  static async connect(address: string, port: number, log?: AnswerLog): Promise<UdpTransactions | Failure> {
    try {
      return await UdpTransactions.open({ connect: { address, port }, ...(log ? { log } : {}) });
    } catch (err) {
      return classifySocketError(err);
    }
  }

  /** Our side of the socket: the address and port a NAT translates. */
  get local(): { address: string; port: number } {
    const a = this.socket.address() as AddressInfo;
    return { address: a.address, port: a.port };
  }

  get localPort(): number {
    return this.local.port;
  }

  /** Datagrams that no pending transaction claims (e.g. Binding requests for the hairpinning test). */
  onUnmatched(listener: (datagram: Buffer, from: SocketAddress) => void): () => void {
    this.unmatchedListeners.add(listener);
    return () => this.unmatchedListeners.delete(listener);
  }

  /** Called on every EMSGSIZE report (see `messageTooBig`). */
  onMessageTooBig(listener: () => void): () => void {
    this.tooBigListeners.add(listener);
    return () => this.tooBigListeners.delete(listener);
  }

  private noteMessageTooBig(): void {
    this.messageTooBig++;
    for (const listener of [...this.tooBigListeners]) listener();
  }

  /** Sends one datagram outside any transaction (e.g. answering a peer's check). */
  sendRaw(datagram: Buffer, to: { address: string; port: number }): Promise<Failure | undefined> {
    if (this.closed) return Promise.resolve({ kind: 'send-error', code: 'ECLOSED', message: 'socket closed' });
    return new Promise((resolve) => {
      const done = (err: Error | null): void => resolve(err ? classifySocketError(err) : undefined);
      if (this.peer) this.socket.send(datagram, done);
      else this.socket.send(datagram, to.port, to.address, done);
    });
  }

  /** Runs one transaction. Never rejects. */
  request<T>(spec: TransactionSpec<T>): Promise<TransactionOutcome<T>> {
    const to = spec.to ?? this.peer;
    if (this.closed) return Promise.resolve({ kind: 'send-error', code: 'ECLOSED', message: 'socket closed' });
    if (!to) return Promise.resolve({ kind: 'send-error', code: 'EDESTADDRREQ', message: 'no destination' });
    if (spec.signal?.aborted) return Promise.resolve({ kind: 'aborted' });
    if (this.pendingError && spec.schedule.sendAtMs.length > 0) {
      const failure = this.pendingError;
      this.pendingError = undefined;
      return Promise.resolve(failure);
    }
    const expectFrom = spec.expectFrom === undefined ? to : spec.expectFrom;
    const { schedule, signal } = spec;

    return new Promise<TransactionOutcome<T>>((resolve) => {
      const startedAt = performance.now();
      const sentAt: number[] = [];
      const timers: NodeJS.Timeout[] = [];
      const ignored: string[] = [];
      let proofTimer: NodeJS.Timeout | undefined;
      let wrongSource: Extract<TransactionOutcome<T>, { kind: 'wrong-source' }> | undefined;
      let settled = false;

      const finish = (outcome: TransactionOutcome<T>): void => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        if (proofTimer) clearTimeout(proofTimer);
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(entry);
        resolve(outcome);
      };
      const silence = (): void =>
        finish(wrongSource ?? { kind: 'silence', waitedMs: Math.round(performance.now() - startedAt), ignored: [...new Set(ignored)] });
      const onAbort = (): void => finish({ kind: 'aborted' });

      const entry: Pending = {
        offer: (datagram, from) => {
          let result: MatchResult<T>;
          try {
            result = spec.match(datagram, from);
          } catch {
            result = undefined; // a parser bug must not take the transaction down: noise
          }
          if (!result) return false;
          if ('ignore' in result) {
            ignored.push(result.ignore);
            return true;
          }
          const arrivedAt = performance.now();
          const fresh = result.transmission !== undefined && sentAt[result.transmission] !== undefined;
          const index = fresh ? (result.transmission as number) : Math.max(0, sentAt.length - 1);
          const ambiguous = !fresh && sentAt.length > 1;
          const rttMs = arrivedAt - (sentAt[index] ?? startedAt);
          if (expectFrom && !sameAddress(from, expectFrom)) {
            // Keep waiting: the right answer may still come (a confused or hostile host can race it).
            wrongSource ??= { kind: 'wrong-source', value: result.value, from, rttMs };
            return true;
          }
          // Evidence for other transactions: a request sent no earlier than this came back.
          this.log.record(to.address, fresh ? (sentAt[index] as number) : (sentAt[0] ?? startedAt), arrivedAt);
          finish({ kind: 'answer', value: result.value, from, rttMs, transmission: index, ambiguous });
          return true;
        },
        fail: (outcome) => finish(outcome),
        abort: () => finish({ kind: 'aborted' }),
      };

      /** When the evidence in the log proves silence, or undefined while it does not yet. */
      const provenAt = (): number | undefined => {
        const candidates: number[] = [];
        const { proof, reachable } = schedule;
        if (proof) {
          const matured = sentAt
            .map((s) => this.log.firstAnswerSentSince(to.address, s))
            .filter((a): a is number => a !== undefined)
            .map((a) => a + proof.marginMs)
            .sort((a, b) => a - b);
          if (matured.length >= proof.transmissions) candidates.push(matured[proof.transmissions - 1] as number);
        }
        if (reachable) {
          const rtt = this.log.fastestAnswerRtt(to.address);
          if (rtt !== undefined) candidates.push(startedAt + Math.max(reachable.minWaitMs, reachable.rtts * rtt));
        }
        return candidates.length > 0 ? Math.min(...candidates) : undefined;
      };
      const evaluateProof = (): void => {
        if (settled) return;
        const at = provenAt();
        if (at === undefined) return;
        if (proofTimer) clearTimeout(proofTimer);
        proofTimer = setTimeout(silence, Math.max(0, at - performance.now()));
      };
      const unsubscribe = schedule.proof || schedule.reachable ? this.log.subscribe(evaluateProof) : () => undefined;

      this.pending.add(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
      schedule.sendAtMs.forEach((atMs, index) => {
        const transmit = (): void => {
          if (settled || this.closed) return;
          let datagram: Buffer | null;
          try {
            datagram = typeof spec.packet === 'function' ? spec.packet(index) : spec.packet;
          } catch (err) {
            finish({ kind: 'send-error', code: 'EENCODE', message: err instanceof Error ? err.message : String(err) });
            return;
          }
          if (datagram === null) return;
          sentAt[index] = performance.now();
          const done = (err: Error | null): void => {
            if (!err) return;
            if ((err as NodeJS.ErrnoException).code === 'EMSGSIZE') {
              // A pending ICMP "too big" surfaced on this send: this transmission did not leave,
              // the next one goes out at the lowered path MTU (fragmented if it must be).
              this.noteMessageTooBig();
              return;
            }
            finish(classifySocketError(err));
          };
          if (this.peer) this.socket.send(datagram, done);
          else this.socket.send(datagram, to.port, to.address, done);
        };
        if (atMs <= 0) transmit();
        else timers.push(setTimeout(transmit, atMs));
      });
      timers.push(setTimeout(silence, schedule.silenceAtMs));
      evaluateProof(); // evidence that arrived before this transaction began counts too (`reachable`)
    });
  }

  private onDatagram(datagram: Buffer, rinfo: dgram.RemoteInfo): void {
    const from: SocketAddress = { address: rinfo.address, port: rinfo.port, family: rinfo.family === 'IPv6' ? 'IPv6' : 'IPv4' };
    for (const entry of [...this.pending]) if (entry.offer(datagram, from)) return;
    if (this.unmatchedListeners.size > 0) {
      for (const listener of [...this.unmatchedListeners]) listener(datagram, from);
      return;
    }
    this.dropped++;
  }

  private onSocketError(err: Error): void {
    if ((err as NodeJS.ErrnoException).code === 'EMSGSIZE') {
      this.noteMessageTooBig();
      return;
    }
    const failure = classifySocketError(err);
    if (this.pending.size === 0) {
      if (this.peer) this.pendingError ??= failure;
      return;
    }
    for (const entry of [...this.pending]) entry.fail(failure);
  }

  /** Closes the socket; resolves once the OS handle is released, so callers can finish cleanly. */
  close(): Promise<void> {
    if (this.closed) return this.closedPromise;
    this.closed = true;
    for (const entry of [...this.pending]) entry.abort();
    this.unmatchedListeners.clear();
    this.tooBigListeners.clear();
    this.closedPromise = closeSocket(this.socket);
    return this.closedPromise;
  }
}

// One UDP socket and the STUN transactions on it. A reply counts only when its transaction id is
// one we sent AND it comes from the address the test expects; everything else is dropped.
// Retransmission follows RFC 5389 §7.2.1 (doubling RTO) but with an RTO the caller derives from a
// measured RTT (see rto.ts), so a test whose answer is "no reply" costs a few RTTs, not seconds.
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { closeSocket } from '../net/closeSocket';
import { sameAddress, type SocketAddress } from '../net/endpoint';
import {
  BINDING_REQUEST,
  MAGIC_COOKIE,
  MAX_STUN_RESPONSE,
  decodeBindingResponse,
  encodeBindingRequest,
  type BindingRequestOptions,
  type BindingResponse,
} from './stunMessage';

export interface RetransmitPolicy {
  /** First retransmission timeout; each later one doubles (RFC 5389 §7.2.1). */
  rtoMs: number;
  /** Requests sent in all, the first included. */
  transmissions: number;
  /** The doubling stops here: later retransmissions keep this interval. */
  maxIntervalMs?: number;
  /** After the last request, wait this many (initial) RTOs for an answer. */
  finalWaitRtos: number;
}

export type TransactionOutcome =
  | { kind: 'response'; response: BindingResponse; from: SocketAddress; rttMs: number; retransmitted: boolean }
  /** The server answered, but from another address than the test requires (RFC 5780 §4.4). */
  | { kind: 'wrong-source'; response: BindingResponse; from: SocketAddress; rttMs: number }
  | { kind: 'timeout'; waitedMs: number }
  | { kind: 'send-error'; message: string; code: string }
  | { kind: 'aborted' };

interface Pending {
  expectFrom: { address: string; port: number } | undefined;
  firstSentAt: number;
  lastSentAt: number;
  sends: number;
  /** The first answer from an unexpected address, reported if no right one arrives in time. */
  wrongSource?: Extract<TransactionOutcome, { kind: 'wrong-source' }>;
  finish: (outcome: TransactionOutcome) => void;
}

/** Called for Binding *requests* that reach this socket (used by the hairpinning test). */
export type IncomingRequestListener = (transactionId: Buffer, from: SocketAddress) => void;

export class StunSocket {
  private readonly pending = new Map<string, Pending>();
  private readonly requestListeners = new Set<IncomingRequestListener>();
  private closed = false;
  private closedPromise: Promise<void> = Promise.resolve();
  /** Datagrams dropped as malformed, unsolicited or oversized: shown in verbose output. */
  dropped = 0;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly family: 'IPv4' | 'IPv6',
  ) {
    socket.on('message', (message, rinfo) => this.onMessage(message, rinfo));
    socket.on('error', (err) => this.failAll(err));
  }

  /** Binds a fresh socket on a kernel-chosen (random) port: RFC 5780 §4.1. */
  static async open(family: 'IPv4' | 'IPv6'): Promise<StunSocket> {
    const socket = dgram.createSocket(family === 'IPv6' ? { type: 'udp6', ipv6Only: true } : { type: 'udp4' });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      socket.bind(0, () => {
        socket.off('error', onError);
        resolve();
      });
    });
    return new StunSocket(socket, family);
  }

  get localPort(): number {
    return (this.socket.address() as AddressInfo).port;
  }

  onIncomingRequest(listener: IncomingRequestListener): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  /**
   * Sends a Binding request to `to` and resolves with the first valid answer, retransmitting on the
   * policy's schedule. `expectFrom` (default: `to`) is where the answer must come from.
   */
  request(
    to: { address: string; port: number },
    options: BindingRequestOptions,
    policy: RetransmitPolicy,
    signal: AbortSignal,
    expectFrom: { address: string; port: number } | null = to,
  ): Promise<TransactionOutcome> {
    if (this.closed) return Promise.resolve({ kind: 'send-error', message: 'socket closed', code: 'ECLOSED' });
    if (signal.aborted) return Promise.resolve({ kind: 'aborted' });
    const { transactionId, packet } = encodeBindingRequest(options);
    const key = transactionId.toString('hex');

    return new Promise<TransactionOutcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let interval = policy.rtoMs;
      const entry: Pending = {
        expectFrom: expectFrom ?? undefined,
        firstSentAt: 0,
        lastSentAt: 0,
        sends: 0,
        finish: (outcome) => {
          if (!this.pending.delete(key)) return;
          if (timer) clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
      };
      const onAbort = (): void => entry.finish({ kind: 'aborted' });
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(key, entry);

      const transmit = (): void => {
        const now = performance.now();
        if (entry.sends === 0) entry.firstSentAt = now;
        entry.lastSentAt = now;
        entry.sends++;
        this.socket.send(packet, to.port, to.address, (err) => {
          if (err) {
            const code = (err as NodeJS.ErrnoException).code ?? 'ESEND';
            entry.finish({ kind: 'send-error', message: err.message, code });
          }
        });
        if (entry.sends < policy.transmissions) {
          timer = setTimeout(transmit, interval);
          interval = Math.min(interval * 2, policy.maxIntervalMs ?? Infinity);
        } else {
          const wait = policy.rtoMs * policy.finalWaitRtos;
          timer = setTimeout(
            () => entry.finish(entry.wrongSource ?? { kind: 'timeout', waitedMs: Math.round(performance.now() - entry.firstSentAt) }),
            wait,
          );
        }
      };
      transmit();
    });
  }

  /**
   * Waits for a response to a transaction another socket sent (RFC 5780 §4.6: RESPONSE-PORT sends
   * the answer to this socket's mapping). Resolves `timeout` after `waitMs`.
   */
  watch(
    transactionId: Buffer,
    expectFrom: { address: string; port: number },
    waitMs: number,
    signal: AbortSignal,
  ): Promise<TransactionOutcome> {
    if (this.closed || signal.aborted) return Promise.resolve({ kind: 'aborted' });
    const key = transactionId.toString('hex');
    return new Promise<TransactionOutcome>((resolve) => {
      const now = performance.now();
      const entry: Pending = {
        expectFrom,
        firstSentAt: now,
        lastSentAt: now,
        sends: 1,
        finish: (outcome) => {
          if (!this.pending.delete(key)) return;
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
      };
      const onAbort = (): void => entry.finish({ kind: 'aborted' });
      const timer = setTimeout(() => entry.finish(entry.wrongSource ?? { kind: 'timeout', waitedMs: waitMs }), waitMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(key, entry);
    });
  }

  private onMessage(message: Buffer, rinfo: dgram.RemoteInfo): void {
    if (message.length > MAX_STUN_RESPONSE) {
      this.dropped++;
      return;
    }
    const from: SocketAddress = { address: rinfo.address, port: rinfo.port, family: rinfo.family === 'IPv6' ? 'IPv6' : 'IPv4' };
    if (
      message.length >= 20 &&
      message.readUInt16BE(0) === BINDING_REQUEST &&
      message.readUInt32BE(4) === MAGIC_COOKIE &&
      this.requestListeners.size > 0
    ) {
      const transactionId = Buffer.from(message.subarray(8, 20));
      for (const listener of this.requestListeners) listener(transactionId, from);
      return;
    }
    const response = decodeBindingResponse(message);
    const entry = response ? this.pending.get(response.transactionId.toString('hex')) : undefined;
    if (!response || !entry) {
      this.dropped++;
      return;
    }
    const now = performance.now();
    // Karn's rule: after a retransmission the sample is ambiguous; measure from the last send.
    const retransmitted = entry.sends > 1;
    const rttMs = now - (retransmitted ? entry.lastSentAt : entry.firstSentAt);
    if (entry.expectFrom && !sameAddress(from, entry.expectFrom)) {
      // Keep waiting: the right answer may still come (a hostile or confused host can race it).
      // Only if none does is "answered from the wrong place" the outcome.
      entry.wrongSource ??= { kind: 'wrong-source', response, from, rttMs };
      return;
    }
    entry.finish({ kind: 'response', response, from, rttMs, retransmitted });
  }

  private failAll(err: Error): void {
    const code = (err as NodeJS.ErrnoException).code ?? 'ESOCKET';
    for (const entry of [...this.pending.values()]) entry.finish({ kind: 'send-error', message: err.message, code });
  }

  /** Closes the socket; resolves once the OS handle is released, so callers can finish cleanly. */
  close(): Promise<void> {
    if (this.closed) return this.closedPromise;
    this.closed = true;
    for (const entry of [...this.pending.values()]) entry.finish({ kind: 'aborted' });
    this.requestListeners.clear();
    this.closedPromise = closeSocket(this.socket);
    return this.closedPromise;
  }
}

// One TCP connection attempt, its outcome classified: a SYN-ACK (connected) or a RST (refused)
// both prove the path to the host and give an RTT — SYN → SYN-ACK/RST is one network round trip
// with no server work in it; ICMP prohibited/unreachable, a timeout or a local error prove nothing.
import { connect, type Socket } from 'node:net';
import { roundRtt } from './rtt';
import type { AnswerLog } from './udpTransactions';

export type TcpAttempt =
  | { kind: 'connected'; socket: Socket; rttMs: number }
  /** RST: the host is there but nothing listens on the port. */
  | { kind: 'refused'; rttMs: number }
  | { kind: 'unreachable'; code: string }
  | { kind: 'timeout'; waitedMs: number }
  | { kind: 'aborted' }
  | { kind: 'error'; code: string; message: string };

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM', 'EHOSTDOWN', 'ENONET']);

/**
 * Connects to `address:port` (an IP literal). With `log`, an answer (SYN-ACK or RST) is recorded
 * as evidence that the host is reachable, for UDP transactions to the same host. The caller owns
 * a `connected` socket and must destroy it.
 */
export function connectTcp(address: string, port: number, timeoutMs: number, signal?: AbortSignal, log?: AnswerLog): Promise<TcpAttempt> {
  return new Promise((resolve) => {
    let settled = false;
    const started = performance.now();
    const socket = connect({ host: address, port });
    const finish = (attempt: TcpAttempt): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      if (attempt.kind !== 'connected') socket.destroy();
      if ((attempt.kind === 'connected' || attempt.kind === 'refused') && log) log.record(address, started, performance.now());
      resolve(attempt);
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    const onError = (err: NodeJS.ErrnoException): void => {
      const code = err.code ?? 'ESOCKET';
      if (code === 'ECONNREFUSED') finish({ kind: 'refused', rttMs: roundRtt(performance.now() - started) });
      else if (UNREACHABLE.has(code)) finish({ kind: 'unreachable', code });
      else finish({ kind: 'error', code, message: err.message });
    };
    const timer = setTimeout(() => finish({ kind: 'timeout', waitedMs: timeoutMs }), timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => finish({ kind: 'connected', socket, rttMs: roundRtt(performance.now() - started) }));
  });
}

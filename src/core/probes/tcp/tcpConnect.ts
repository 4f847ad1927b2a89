// TCP connect with the outcome classified: RST (ECONNREFUSED) → closed; ICMP prohibited/unreachable
// → filtered; no SYN-ACK in time → filtered (a firewall that drops). The connect time is the RTT:
// SYN → SYN-ACK is one network round trip with no server work in it.
import { connect, type Socket } from 'node:net';
import type { ProbeFinding } from '../probeContext';
import { formatSeconds, roundRtt } from '../outcome';

export type TcpConnectResult = { kind: 'connected'; socket: Socket; rttMs: number } | { kind: 'failed'; finding: ProbeFinding };

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM', 'EHOSTDOWN']);

export function tcpFailureFinding(code: string | undefined, message: string, port: number): ProbeFinding {
  if (code === 'ECONNREFUSED') return { state: 'closed', rttMs: null, detail: `TCP ${port} refused the connection (RST): the host is there but nothing listens` };
  if (code && UNREACHABLE.has(code)) return { state: 'filtered', rttMs: null, detail: `ICMP destination unreachable (${code}): a firewall or router on the path rejects TCP ${port}` };
  return { state: 'open|filtered', rttMs: null, detail: `could not probe TCP ${port}: ${code ?? message}` };
}

export function tcpConnect(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<TcpConnectResult> {
  return new Promise((resolve) => {
    let settled = false;
    const started = performance.now();
    const socket = connect({ host: address, port });
    const finish = (r: TcpConnectResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      if (r.kind === 'failed') socket.destroy();
      resolve(r);
    };
    const onAbort = (): void => finish({ kind: 'failed', finding: { state: 'open|filtered', rttMs: null, detail: `probe of TCP ${port} was cancelled` } });
    const onError = (err: NodeJS.ErrnoException): void => finish({ kind: 'failed', finding: tcpFailureFinding(err.code, err.message, port) });
    const timer = setTimeout(
      () => finish({ kind: 'failed', finding: { state: 'filtered', rttMs: null, detail: `TCP ${port}: no answer to the connection attempt within ${formatSeconds(timeoutMs)} (a firewall drops it)` } }),
      timeoutMs,
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => finish({ kind: 'connected', socket, rttMs: roundRtt(performance.now() - started) }));
  });
}

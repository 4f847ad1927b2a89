// A probe's TCP connect: the classified attempt (net/tcpConnect.ts) in the four probe states —
// RST → closed; ICMP prohibited/unreachable → filtered; no SYN-ACK in time → filtered (a firewall
// that drops).
import { connectTcp } from '../../net/tcpConnect';
import type { Socket } from 'node:net';
import type { ProbeFinding } from '../probeContext';
import { formatSeconds } from '../outcome';

export type TcpConnectResult = { kind: 'connected'; socket: Socket; rttMs: number } | { kind: 'failed'; finding: ProbeFinding };

export async function tcpConnect(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<TcpConnectResult> {
  const attempt = await connectTcp(address, port, timeoutMs, signal);
  switch (attempt.kind) {
    case 'connected':
      return attempt;
    case 'refused':
      return { kind: 'failed', finding: { state: 'closed', rttMs: null, detail: `TCP ${port} refused the connection (RST): the host is there but nothing listens` } };
    case 'unreachable':
      return { kind: 'failed', finding: { state: 'filtered', rttMs: null, detail: `ICMP destination unreachable (${attempt.code}): a firewall or router on the path rejects TCP ${port}` } };
    case 'timeout':
      return { kind: 'failed', finding: { state: 'filtered', rttMs: null, detail: `TCP ${port}: no answer to the connection attempt within ${formatSeconds(timeoutMs)} (a firewall drops it)` } };
    case 'aborted':
      return { kind: 'failed', finding: { state: 'open|filtered', rttMs: null, detail: `probe of TCP ${port} was cancelled` } };
    case 'error':
      return { kind: 'failed', finding: { state: 'open|filtered', rttMs: null, detail: `could not probe TCP ${port}: ${attempt.code}` } };
  }
}

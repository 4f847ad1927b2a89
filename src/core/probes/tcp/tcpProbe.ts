// tcp: a plain connect. `open` means something accepted the connection.
import type { ProbeContext, ProbeFinding } from '../probeContext';
import { tcpConnect } from './tcpConnect';

export async function probeTcp(ctx: ProbeContext): Promise<ProbeFinding> {
  const r = await tcpConnect(ctx.address, ctx.target.port, ctx.timeoutMs, ctx.options.signal);
  if (r.kind === 'failed') return r.finding;
  r.socket.destroy();
  return { state: 'open', rttMs: r.rttMs, detail: `TCP ${ctx.target.port} accepted the connection` };
}

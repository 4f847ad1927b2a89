// stun: one Binding Request (RFC 5389 §7), retransmitted on the RFC schedule within the budget.
// The answer shows the address the server saw, so it also says whether a NAT sits in between.
import type { ProbeContext, ProbeFinding } from '../probeContext';
import { failureOutcome, roundRtt } from '../outcome';
import { UdpChannel, retransmitTimes } from '../udpChannel';
import { newTransactionId } from './stunMessage';
import { buildBindingRequest, parseBindingAnswer } from './turnAllocate';

export async function probeStun(ctx: ProbeContext): Promise<ProbeFinding> {
  const { address, target, timeoutMs, options } = ctx;
  const what = `UDP ${target.port}`;
  const opened = await UdpChannel.open(address, target.port);
  if (!(opened instanceof UdpChannel)) return { ...failureOutcome(opened, what, '', timeoutMs), rttMs: null };
  const channel = opened;
  try {
    const tid = newTransactionId();
    const request = buildBindingRequest(tid);
    const outcome = await channel.exchange(
      retransmitTimes(timeoutMs).map((atMs) => ({ atMs, packet: () => request })),
      (msg) => {
        const answer = parseBindingAnswer(msg, tid);
        return answer ? { value: answer, attempt: 0 } : undefined;
      },
      timeoutMs,
      options.signal,
    );
    if (outcome.kind !== 'answer') return { ...failureOutcome(outcome, what, 'a firewall drops UDP, or no STUN server listens', timeoutMs), rttMs: null };
    const rttMs = roundRtt(outcome.rttMs);
    const answer = outcome.value;
    if ('errorCode' in answer) return { state: 'open', rttMs, detail: `STUN server answered with error ${answer.errorCode}` };
    const software = answer.software ? ` (${answer.software})` : '';
    if (!answer.mapped) return { state: 'open', rttMs, detail: `STUN server answered${software} without XOR-MAPPED-ADDRESS` };
    const local = channel.local;
    const nat = answer.mapped.address === local.address && answer.mapped.port === local.port ? 'no NAT between you and this server' : `a NAT sits between you and this server (you are ${local.address}:${local.port} here)`;
    return { state: 'open', rttMs, detail: `STUN server answered${software}: it sees you as ${answer.mapped.address}:${answer.mapped.port}; ${nat}` };
  } finally {
    channel.close();
  }
}

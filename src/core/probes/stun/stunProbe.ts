// stun: one Binding request (RFC 8489 §6) through the one STUN codec, retransmitted within the
// probe budget. The answer shows the address the server saw, so it also says whether a NAT sits
// in between.
import { sameAddress } from '../../net/endpoint';
import { probeSchedule } from '../../net/retransmission';
import { UdpTransactions } from '../../net/udpTransactions';
import { mappedAddressOf } from '../../stun/binding';
import { bindingRequest } from '../../stun/bindingTransaction';
import { failureOutcome, roundRtt } from '../outcome';
import type { ProbeContext, ProbeFinding } from '../probeContext';

export async function probeStun(ctx: ProbeContext): Promise<ProbeFinding> {
  const { address, target, timeoutMs, options } = ctx;
  const what = `UDP ${target.port}`;
  const opened = await UdpTransactions.connect(address, target.port);
  if (!(opened instanceof UdpTransactions)) return { ...failureOutcome(opened, what, '', timeoutMs), rttMs: null };
  const socket = opened;
  try {
    const outcome = await bindingRequest(socket, { address, port: target.port }, {}, probeSchedule(timeoutMs), options.signal ?? new AbortController().signal);
    if (outcome.kind !== 'answer') {
      const silence = outcome.kind === 'silence' && outcome.ignored.length > 0 ? outcome.ignored.join('; ') : 'a firewall drops UDP, or no STUN server listens';
      return { ...failureOutcome(outcome, what, silence, timeoutMs), rttMs: null };
    }
    const rttMs = roundRtt(outcome.rttMs);
    const answer = outcome.value;
    if (answer.kind === 'error') return { state: 'open', rttMs, detail: `STUN server answered with error ${answer.errorCode ?? '?'}` };
    const software = answer.software ? ` (${answer.software})` : '';
    const mapped = mappedAddressOf(answer);
    if (!mapped) return { state: 'open', rttMs, detail: `STUN server answered${software} without XOR-MAPPED-ADDRESS` };
    const local = socket.local;
    const nat = sameAddress(mapped, local) ? 'no NAT between you and this server' : `a NAT sits between you and this server (you are ${local.address}:${local.port} here)`;
    return { state: 'open', rttMs, detail: `STUN server answered${software}: it sees you as ${mapped.address}:${mapped.port}; ${nat}` };
  } finally {
    await socket.close();
  }
}

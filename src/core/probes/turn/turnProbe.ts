// turn: Allocate with long-term credentials (401 → REALM/NONCE → MESSAGE-INTEGRITY), report the
// relayed address and RTT, then release it at once with Refresh LIFETIME 0 (RFC 8656 §7). Without
// credentials the 401 alone proves a TURN server is there. The password and the derived key stay
// in this function: no detail, error or progress line contains them.
import type { ProbeContext, ProbeFinding } from '../probeContext';
import { failureOutcome, roundRtt } from '../outcome';
import { probeSchedule } from '../../net/retransmission';
import { UdpTransactions, type TransactionOutcome } from '../../net/udpTransactions';
import { longTermKey } from '../../stun/credentials';
import { printable as printableText } from '../../net/printable';
import { newTransactionId } from '../../stun/stunMessage';
import { buildAllocate, buildRelease, parseAllocateAnswer, parseRefreshAnswer, type AllocateAnswer, type LongTermAuth } from './turnAllocate';

/** Printable, bounded text from a server (realm), so a hostile server cannot flood the detail. */
function printable(text: string): string {
  return printableText(text, 64);
}

export async function probeTurn(ctx: ProbeContext): Promise<ProbeFinding> {
  const { address, target, timeoutMs, options } = ctx;
  const what = `UDP ${target.port}`;
  const credentials = options.turnCredentials;
  const opened = await UdpTransactions.connect(address, target.port);
  if (!(opened instanceof UdpTransactions)) return { ...failureOutcome(opened, what, '', timeoutMs), rttMs: null };
  const socket = opened;
  const allocate = (auth?: LongTermAuth): Promise<TransactionOutcome<AllocateAnswer>> => {
    const tid = newTransactionId();
    return socket.request({
      packet: buildAllocate(tid, auth),
      match: (msg) => {
        const answer = parseAllocateAnswer(msg, tid, auth?.key);
        return answer ? { value: answer } : undefined;
      },
      schedule: probeSchedule(timeoutMs),
      signal: options.signal,
    });
  };
  try {
    const first = await allocate();
    if (first.kind !== 'answer') return { ...failureOutcome(first, what, 'a firewall drops UDP, or no TURN server listens', timeoutMs), rttMs: null };
    const rttMs = roundRtt(first.rttMs);
    let answer = first.value;
    if (answer.kind === 'success') {
      return {
        state: 'open',
        rttMs,
        detail: `TURN server allocated a relay without credentials (${answer.relayed.address}:${answer.relayed.port}); it was left to expire`,
        relayed: answer.relayed,
      };
    }
    if (answer.kind === 'error') return { state: 'open', rttMs, detail: `TURN server answered Allocate with error ${answer.code} ${printable(answer.reason)}` };
    const realm = printable(answer.realm);
    if (!credentials) {
      return { state: 'open', rttMs, detail: `TURN server answered (${answer.code}: needs credentials, realm "${realm}"); give --user and NAT_DOCTOR_TURN_PASSWORD to allocate a relay` };
    }
    let auth: LongTermAuth = { username: credentials.user, realm: answer.realm, nonce: answer.nonce, key: longTermKey(credentials.user, answer.realm, credentials.password) };
    const started = performance.now();
    for (let round = 0; round < 2; round++) {
      const second = await allocate(auth);
      if (second.kind !== 'answer') {
        return { state: 'open', rttMs, detail: `TURN server answered the first Allocate but not the authenticated one (${second.kind})` };
      }
      answer = second.value;
      if (answer.kind === 'challenge' && answer.code === 438 && round === 0) {
        // 438 Stale Nonce: RFC 5389 §10.2.3, retry once with the new nonce.
        auth = { ...auth, nonce: answer.nonce, realm: answer.realm, key: longTermKey(credentials.user, answer.realm, credentials.password) };
        continue;
      }
      break;
    }
    if (answer.kind === 'challenge') {
      return { state: 'open', rttMs, detail: `TURN server rejected the user name or password (${answer.code}, realm "${realm}")` };
    }
    if (answer.kind === 'error') return { state: 'open', rttMs, detail: `TURN server refused the authenticated Allocate: ${answer.code} ${printable(answer.reason)}` };
    const allocateMs = roundRtt(performance.now() - started);
    const relayed = `${answer.relayed.address}:${answer.relayed.port}`;
    const integrity = answer.integrityOk ? '' : ' (its answer carried no valid MESSAGE-INTEGRITY)';
    const release = await releaseAllocation(socket, auth, timeoutMs, options.signal);
    return { state: 'open', rttMs, detail: `TURN relay allocated at ${relayed} in ${allocateMs} ms${integrity}; ${release}`, relayed: answer.relayed };
  } finally {
    await socket.close();
  }
}

async function releaseAllocation(socket: UdpTransactions, auth: LongTermAuth, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  const tid = newTransactionId();
  const outcome = await socket.request({
    packet: buildRelease(tid, auth),
    match: (msg) => {
      const answer = parseRefreshAnswer(msg, tid);
      return answer ? { value: answer } : undefined;
    },
    schedule: probeSchedule(timeoutMs),
    signal,
  });
  if (outcome.kind !== 'answer') return 'the release (Refresh lifetime 0) got no answer: the relay expires on its own';
  return outcome.value.ok ? 'released it again (Refresh lifetime 0)' : `the release was refused (${outcome.value.code ?? 'error'}): the relay expires on its own`;
}

// RFC 5780 §4.4 filtering behaviour, on a brand-new socket so no earlier traffic has opened the
// NAT's filter (§4.1, §4.5). Tests II and III go out together: both are sent to the primary
// address, so neither changes what the other may receive, and a run costs one wait, not two.
import type { FilteringBehavior } from '../report/types';
import { StunSocket, type TransactionOutcome } from '../stun/stunSocket';
import { policyForRtt } from '../stun/rto';
import type { StunAddress } from '../stun/stunMessage';
import type { ResolvedServer } from '../stun/stunServers';

export interface FilteringResult {
  filtering: FilteringBehavior;
  /** Why `unknown`, or which answers decided it. */
  reason: string;
  /** Only "no answer" results, which need the alternate address to be proven alive elsewhere. */
  restsOnSilence: boolean;
  /** Mapped address of the filtering socket (for port-preservation evidence). */
  mappedPort: number | null;
  localPort: number;
  /** The freshest unambiguous RTT to the server, from this socket's test I (or the caller's). */
  rttMs: number;
}

type Decision = ReturnType<typeof decideFiltering>;

/** From open to closed: a stale NAT entry can only make filtering look more open than it is. */
const OPENNESS: Record<FilteringBehavior, number> = {
  'endpoint-independent': 3,
  'address-dependent': 2,
  'address-and-port-dependent': 1,
  unknown: 0,
};

/**
 * Runs the §4.4 tests on a fresh socket. An answer that got through is confirmed on a second fresh
 * socket: the kernel may hand us a port that an earlier run used towards the alternate address,
 * and the NAT's entry for that old flow would let the answer in (seen in the lab under loss). The
 * confirmation costs a few RTTs when it agrees; if it does not, the more closed verdict stands.
 */
export async function testFiltering(
  server: ResolvedServer,
  other: StunAddress,
  rttMs: number,
  signal: AbortSignal,
): Promise<FilteringResult> {
  const first = await runFilteringTests(server, other, rttMs, signal);
  if ('failure' in first) return first.failure;
  let decision: Decision = first.decision;
  if (decision.filtering === 'endpoint-independent' || decision.filtering === 'address-dependent') {
    const second = await runFilteringTests(server, other, first.rttMs, signal);
    if (!('failure' in second) && OPENNESS[second.decision.filtering] < OPENNESS[decision.filtering] && second.decision.filtering !== 'unknown') {
      decision = {
        ...second.decision,
        reason: `${second.decision.reason} (a first socket saw ${decision.filtering} filtering, most likely through an old NAT entry for its port)`,
      };
    }
  }
  return { ...decision, mappedPort: first.mappedPort, localPort: first.localPort, rttMs: first.rttMs };
}

async function runFilteringTests(
  server: ResolvedServer,
  other: StunAddress,
  rttMs: number,
  signal: AbortSignal,
): Promise<{ decision: Decision; mappedPort: number | null; localPort: number; rttMs: number } | { failure: FilteringResult }> {
  const socket = await StunSocket.open(server.family);
  try {
    const primary = { address: server.address, port: server.port };
    // Test I from the fresh socket creates the mapping (and the filter entry) towards the primary.
    const testI = await socket.request(primary, {}, policyForRtt(rttMs), signal);
    const localPort = socket.localPort;
    if (testI.kind !== 'response' || testI.response.kind !== 'success') {
      return {
        failure: { filtering: 'unknown', reason: `the server stopped answering (${outcomeWord(testI)})`, restsOnSilence: false, mappedPort: null, localPort, rttMs },
      };
    }
    // The first exchange with a server can be slow for reasons that do not last (ARP, a radio
    // waking up): the negative tests' wait follows the freshest unambiguous sample.
    const freshRtt = testI.retransmitted ? rttMs : Math.min(rttMs, testI.rttMs);
    const policy = policyForRtt(freshRtt);
    const mappedPort = (testI.response.xorMappedAddress ?? testI.response.mappedAddress)?.port ?? null;
    // Table 1 of RFC 5780 §6.1: where each answer must come from.
    const [testII, testIII] = await Promise.all([
      socket.request(primary, { changeIp: true, changePort: true }, policy, signal, { address: other.address, port: other.port }),
      socket.request(primary, { changePort: true }, policy, signal, { address: server.address, port: other.port }),
    ]);
    return { decision: decideFiltering(testII, testIII), mappedPort, localPort, rttMs: freshRtt };
  } finally {
    await socket.close();
  }
}

/** The decision of RFC 5780 §4.4, refusing to read anything into answers from the wrong place. */
export function decideFiltering(
  testII: TransactionOutcome,
  testIII: TransactionOutcome,
): { filtering: FilteringBehavior; reason: string; restsOnSilence: boolean } {
  const unusable = (test: string, o: TransactionOutcome): string | null => {
    if (o.kind === 'wrong-source') {
      return `the server answered ${test} from ${o.from.address}:${o.from.port} instead of its alternate address, so it cannot test filtering`;
    }
    if (o.kind === 'response' && o.response.kind === 'error') {
      return `the server refused CHANGE-REQUEST (${o.response.errorCode ?? '?'} ${o.response.errorReason ?? ''})`.trim();
    }
    if (o.kind === 'send-error') return `sending ${test} failed: ${o.message}`;
    if (o.kind === 'aborted') return `stopped before ${test} finished`;
    return null;
  };
  const answered = (o: TransactionOutcome): boolean => o.kind === 'response' && o.response.kind === 'success';

  const problemII = unusable('test II (change IP and port)', testII);
  if (problemII) return { filtering: 'unknown', reason: problemII, restsOnSilence: false };
  if (answered(testII)) {
    return { filtering: 'endpoint-independent', reason: 'an answer from the other IP and port got through', restsOnSilence: false };
  }
  const problemIII = unusable('test III (change port)', testIII);
  if (problemIII) return { filtering: 'unknown', reason: problemIII, restsOnSilence: false };
  if (answered(testIII)) {
    return {
      filtering: 'address-dependent',
      reason: 'answers from another IP were dropped, from the same IP on another port they got through',
      restsOnSilence: true,
    };
  }
  return {
    filtering: 'address-and-port-dependent',
    reason: 'answers from any other IP or port were dropped',
    restsOnSilence: true,
  };
}

function outcomeWord(o: TransactionOutcome): string {
  switch (o.kind) {
    case 'timeout':
      return 'no answer';
    case 'send-error':
      return o.message;
    case 'aborted':
      return 'stopped';
    case 'wrong-source':
      return 'answer from the wrong address';
    case 'response':
      return o.response.kind === 'error' ? `error ${o.response.errorCode ?? ''}` : 'answer without an address';
  }
}

// RFC 5780 §4.4 filtering behaviour, on a brand-new socket so no earlier traffic has opened the
// NAT's filter (§4.1, §4.5). Tests II and III go out together: both are sent to the primary
// address, so neither changes what the other may receive, and a run costs one wait, not two.
// "No answer" is proven, not waited out: each round of tests II and III is followed by a plain
// request to the same server (a control); once the controls of three rounds came back and the
// tests' answers did not, those answers were dropped — a few RTTs instead of a long timeout.
import { measuredSchedule } from '../net/retransmission';
import { UdpTransactions } from '../net/udpTransactions';
import type { FilteringBehavior } from '../report/types';
import { mappedAddressOf } from '../stun/binding';
import { bindingControls, bindingRequest, type BindingOutcome } from '../stun/bindingTransaction';
import type { StunAddress } from '../stun/stunAttributes';
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
  const socket = await UdpTransactions.open({ family: server.family });
  try {
    const primary = { address: server.address, port: server.port };
    // Test I from the fresh socket creates the mapping (and the filter entry) towards the primary.
    const testI = await bindingRequest(socket, primary, {}, measuredSchedule(rttMs), signal);
    const localPort = socket.localPort;
    if (testI.kind !== 'answer' || testI.value.kind !== 'success') {
      return {
        failure: { filtering: 'unknown', reason: `the server stopped answering (${outcomeWord(testI)})`, restsOnSilence: false, mappedPort: null, localPort, rttMs },
      };
    }
    // The first exchange with a server can be slow for reasons that do not last (ARP, a radio
    // waking up): the negative tests' wait follows the freshest unambiguous sample.
    const freshRtt = testI.ambiguous ? rttMs : Math.min(rttMs, testI.rttMs);
    const schedule = measuredSchedule(freshRtt, { transmissions: CONTROL_ROUNDS, proofTransmissions: PROVEN_ROUNDS });
    const mappedPort = mappedAddressOf(testI.value)?.port ?? null;
    // Table 1 of RFC 5780 §6.1: where each answer must come from.
    const tests = Promise.all([
      bindingRequest(socket, primary, { changeIp: true, changePort: true }, schedule, signal, { address: other.address, port: other.port }),
      bindingRequest(socket, primary, { changePort: true }, schedule, signal, { address: server.address, port: other.port }),
    ]);
    const controls = bindingControls(socket, primary, schedule, signal);
    const [testII, testIII] = await tests;
    await controls.stop();
    return { decision: decideFiltering(testII, testIII), mappedPort, localPort, rttMs: freshRtt };
  } finally {
    await socket.close();
  }
}

/** Rounds of tests II and III, each followed by a control (the most a negative test sends). */
const CONTROL_ROUNDS = 6;
/** Rounds that must be proven unanswered: under 10 % loss each way a wrong "dropped" is 0.19³ ≈ 0.7 %. */
const PROVEN_ROUNDS = 3;

/** The decision of RFC 5780 §4.4, refusing to read anything into answers from the wrong place. */
export function decideFiltering(
  testII: BindingOutcome,
  testIII: BindingOutcome,
): { filtering: FilteringBehavior; reason: string; restsOnSilence: boolean } {
  const unusable = (test: string, o: BindingOutcome): string | null => {
    if (o.kind === 'wrong-source') {
      return `the server answered ${test} from ${o.from.address}:${o.from.port} instead of its alternate address, so it cannot test filtering`;
    }
    if (o.kind === 'answer' && o.value.kind === 'error') {
      return `the server refused CHANGE-REQUEST (${o.value.errorCode ?? '?'} ${o.value.errorReason ?? ''})`.trim();
    }
    if (o.kind === 'send-error') return `sending ${test} failed: ${o.message}`;
    if (o.kind === 'refused' || o.kind === 'unreachable') return `sending ${test} failed: ${o.kind}`;
    if (o.kind === 'aborted') return `stopped before ${test} finished`;
    if (o.kind === 'silence' && o.ignored.length > 0) return `${test}: ${o.ignored.join('; ')}`;
    return null;
  };
  const answered = (o: BindingOutcome): boolean => o.kind === 'answer' && o.value.kind === 'success';

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

function outcomeWord(o: BindingOutcome): string {
  switch (o.kind) {
    case 'silence':
      return o.ignored.length > 0 ? o.ignored.join('; ') : 'no answer';
    case 'send-error':
      return o.message;
    case 'refused':
    case 'unreachable':
      return o.kind;
    case 'aborted':
      return 'stopped';
    case 'wrong-source':
      return 'answer from the wrong address';
    case 'answer':
      return o.value.kind === 'error' ? `error ${o.value.errorCode ?? ''}` : 'answer without an address';
  }
}

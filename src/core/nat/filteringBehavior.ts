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
}

export async function testFiltering(
  server: ResolvedServer,
  other: StunAddress,
  rttMs: number,
  signal: AbortSignal,
): Promise<FilteringResult> {
  const socket = await StunSocket.open(server.family);
  try {
    const policy = policyForRtt(rttMs);
    const primary = { address: server.address, port: server.port };
    // Test I from the fresh socket creates the mapping (and the filter entry) towards the primary.
    const testI = await socket.request(primary, {}, policy, signal);
    const localPort = socket.localPort;
    if (testI.kind !== 'response' || testI.response.kind !== 'success') {
      return { filtering: 'unknown', reason: `the server stopped answering (${outcomeWord(testI)})`, restsOnSilence: false, mappedPort: null, localPort };
    }
    const mappedPort = (testI.response.xorMappedAddress ?? testI.response.mappedAddress)?.port ?? null;
    // Table 1 of RFC 5780 §6.1: where each answer must come from.
    const [testII, testIII] = await Promise.all([
      socket.request(primary, { changeIp: true, changePort: true }, policy, signal, { address: other.address, port: other.port }),
      socket.request(primary, { changePort: true }, policy, signal, { address: server.address, port: other.port }),
    ]);
    return { ...decideFiltering(testII, testIII), mappedPort, localPort };
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

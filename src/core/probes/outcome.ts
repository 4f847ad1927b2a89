// Turning transport failures into the four states and plain-words details (docs/report-schema.md
// `probes[]`): a silent UDP port is open|filtered, never open — silence cannot tell a listener that
// ignores us from a firewall that drops us; ICMP port unreachable is closed (RFC 1122 §4.1.3.1).
import type { TransactionOutcome } from '../net/udpTransactions';
import type { ProbeState } from '../report/types';

export interface StateAndDetail {
  state: ProbeState;
  detail: string;
}

/** `what` names the transport and port, e.g. "UDP 500". */
export function failureOutcome(failure: Exclude<TransactionOutcome<unknown>, { kind: 'answer' }>, what: string, silenceMeaning: string, waitedMs: number): StateAndDetail {
  switch (failure.kind) {
    case 'refused':
      return { state: 'closed', detail: `ICMP port unreachable: the host is there but nothing listens on ${what}` };
    case 'unreachable':
      return {
        state: 'filtered',
        detail: `ICMP destination unreachable (${failure.code}): a firewall or router on the path rejects ${what}`,
      };
    case 'silence':
      return { state: 'open|filtered', detail: `no answer on ${what} within ${formatSeconds(waitedMs)}: ${silenceMeaning}` };
    case 'aborted':
      return { state: 'open|filtered', detail: `probe of ${what} was cancelled before an answer came` };
    case 'send-error':
      return { state: 'open|filtered', detail: `could not probe ${what}: ${failure.message}` };
    case 'wrong-source':
      return { state: 'open|filtered', detail: `on ${what} only ${failure.from.address}:${failure.from.port} answered, not the host probed` };
  }
}

export function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

export { roundRtt } from '../net/rtt';

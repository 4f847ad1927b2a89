// RFC 5780 §4.2 "Test I" against each server: does UDP get through, what is our mapped address,
// how far away is the server, and can it run behaviour tests (a usable OTHER-ADDRESS)?
import { normalizeIp, sameAddress } from '../net/endpoint';
import { INITIAL_SCHEDULE } from '../net/retransmission';
import type { UdpTransactions } from '../net/udpTransactions';
import { mappedAddressOf } from '../stun/binding';
import { bindingRequest, type BindingOutcome } from '../stun/bindingTransaction';
import type { StunAddress } from '../stun/stunAttributes';
import type { ResolvedServer } from '../stun/stunServers';

export interface ServerProbe {
  target: ResolvedServer;
  outcome: BindingOutcome;
  rttMs: number | null;
  /** XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS, as this server saw us. */
  mapped: StunAddress | null;
  /** True when MAPPED and XOR-MAPPED disagree: an ALG rewrote the address (RFC 5780 §3.6). */
  algRewrite: boolean | null;
  /** A valid alternate address (RFC 5780 §4.2: differs in IP and port), or why there is none. */
  other: StunAddress | null;
  otherProblem?: string;
  software?: string;
  error?: string;
}

export async function probeServer(socket: UdpTransactions, target: ResolvedServer, signal: AbortSignal): Promise<ServerProbe> {
  const outcome = await bindingRequest(socket, { address: target.address, port: target.port }, {}, INITIAL_SCHEDULE, signal);
  return interpretTestI(target, outcome);
}

export function interpretTestI(target: ResolvedServer, outcome: BindingOutcome): ServerProbe {
  const base = { target, outcome, rttMs: null, mapped: null, algRewrite: null, other: null };
  switch (outcome.kind) {
    case 'silence': {
      const ignored = outcome.ignored.length > 0 ? ` (${outcome.ignored.join('; ')})` : '';
      return { ...base, error: `no answer within ${(outcome.waitedMs / 1000).toFixed(1)} s${ignored}` };
    }
    case 'send-error':
      return { ...base, error: describeSendError(outcome.code, outcome.message) };
    case 'refused':
      return { ...base, error: 'ICMP port unreachable: no STUN server listens there' };
    case 'unreachable':
      return { ...base, error: describeSendError(outcome.code, 'unreachable') };
    case 'aborted':
      return { ...base, error: 'stopped before the server answered' };
    case 'wrong-source':
      return { ...base, error: `answered from ${outcome.from.address}:${outcome.from.port}, not the address we asked` };
    case 'answer':
      break;
  }
  const response = outcome.value;
  const rttMs = Math.round(outcome.rttMs * 10) / 10;
  if (response.kind === 'error') {
    return { ...base, rttMs, error: `STUN error ${response.errorCode ?? '?'} ${response.errorReason ?? ''}`.trim() };
  }
  const mapped = mappedAddressOf(response) ?? null;
  if (!mapped) return { ...base, rttMs, error: 'answer carried no mapped address' };
  const algRewrite =
    response.xorMappedAddress && response.mappedAddress ? !sameAddress(response.xorMappedAddress, response.mappedAddress) : null;
  const probe: ServerProbe = { ...base, rttMs, mapped, algRewrite };
  if (response.software) probe.software = response.software;
  const other = response.otherAddress;
  if (!other) {
    probe.otherProblem = 'the server sends no OTHER-ADDRESS, so it cannot run RFC 5780 behaviour tests';
  } else if (normalizeIp(other.address) === normalizeIp(target.address) || other.port === target.port) {
    // RFC 5780 §4.2: the alternate must differ in both IP and port, or the tests prove nothing.
    probe.otherProblem = `its OTHER-ADDRESS ${other.address}:${other.port} does not differ from the server in both IP and port`;
  } else if (other.family !== target.family) {
    probe.otherProblem = 'its OTHER-ADDRESS is of another address family';
  } else {
    probe.other = other;
  }
  return probe;
}

function describeSendError(code: string, message: string): string {
  switch (code) {
    case 'ENETUNREACH':
      return 'no route to the server (network unreachable)';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'EADDRNOTAVAIL':
      return 'no usable local address for this server';
    case 'EAFNOSUPPORT':
      return 'this address family is not available here';
    default:
      return `send failed: ${message}`;
  }
}

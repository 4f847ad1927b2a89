// RFC 5780 §4.3 mapping behaviour: does the NAT keep the same public address and port for one
// local socket whatever the destination? Tests II and III go out together from the socket that
// already ran Test I; each answer comes from the address it was sent to, so filtering never hides it.
// Both go to the server's alternate IP, so an answer to one proves the other's silence (the
// engine's proof rule) and a dead alternate port costs a few RTTs, not a timeout.
import { isLocalAddress } from '../net/localAddresses';
import { sameAddress } from '../net/endpoint';
import { measuredSchedule } from '../net/retransmission';
import type { UdpTransactions } from '../net/udpTransactions';
import type { MappingBehavior } from '../report/types';
import { mappedAddressOf } from '../stun/binding';
import { bindingRequest, type BindingOutcome } from '../stun/bindingTransaction';
import type { StunAddress } from '../stun/stunAttributes';
import type { ResolvedServer } from '../stun/stunServers';

/**
 * Which of the server's other address/port pairs answered us (RFC 5780 §4.2 names them by the
 * test that reaches them). Silence in a filtering test means something only when the pair that
 * would have sent the answer is proven to reach us.
 */
export interface ServerPairsAlive {
  /** Alternate IP, primary port: mapping test II. */
  alternateIp: boolean;
  /** Alternate IP and alternate port: mapping test III; it sends filtering test II's answer. */
  alternateIpAndPort: boolean;
  /** Primary IP, alternate port: it sends filtering test III's answer. `null` when not checked. */
  alternatePort: boolean | null;
}

export interface MappingResult {
  mapping: MappingBehavior;
  reason: string;
  /** Not EIM, but ADM vs APDM is undecided (the alternate port did not answer). */
  variesByDestination: boolean;
  /** The alternate IP answered (on either port): the server's second address is alive. */
  alternateAlive: boolean;
  alive: ServerPairsAlive;
}

/** True when the mapped address is this machine's own: no NAT on the path (RFC 5780 §4.3). */
export function isUnNatted(mapped: StunAddress, localPort: number): boolean {
  return mapped.port === localPort && isLocalAddress(mapped.address);
}

/**
 * Mapping tests II and III, and — with `checkAlternatePort` — a plain request to the primary IP's
 * alternate port, which proves (or not) that the source of filtering test III's answer can reach us.
 * All from the socket that ran test I, so none of it touches the filtering test's fresh socket.
 */
export async function testMapping(
  socket: UdpTransactions,
  server: ResolvedServer,
  other: StunAddress,
  testIMapped: StunAddress,
  rttMs: number,
  signal: AbortSignal,
  options: { checkAlternatePort?: boolean } = {},
): Promise<MappingResult> {
  const schedule = measuredSchedule(rttMs, { proofTransmissions: 3 });
  const [testII, testIII, alternatePort] = await Promise.all([
    bindingRequest(socket, { address: other.address, port: server.port }, {}, schedule, signal),
    bindingRequest(socket, { address: other.address, port: other.port }, {}, schedule, signal),
    options.checkAlternatePort ? bindingRequest(socket, { address: server.address, port: other.port }, {}, schedule, signal) : Promise.resolve(null),
  ]);
  const mappedOf = (o: BindingOutcome): StunAddress | null => (o.kind === 'answer' && o.value.kind === 'success' ? (mappedAddressOf(o.value) ?? null) : null);
  const result = decideMapping(testIMapped, mappedOf(testII), mappedOf(testIII), socket.localPort);
  result.alive.alternatePort = alternatePort === null ? null : mappedOf(alternatePort) !== null;
  return result;
}

export function decideMapping(
  testI: StunAddress,
  testII: StunAddress | null,
  testIII: StunAddress | null,
  localPort: number,
): MappingResult {
  const alive: ServerPairsAlive = { alternateIp: testII !== null, alternateIpAndPort: testIII !== null, alternatePort: null };
  const base = { alternateAlive: testII !== null || testIII !== null, alive };
  if (isUnNatted(testI, localPort)) {
    return { mapping: 'none', reason: 'the server sees this machine’s own address and port', variesByDestination: false, ...base };
  }
  if (!testII && !testIII) {
    return { mapping: 'unknown', reason: 'the server’s alternate address did not answer, so the mapping could not be compared', variesByDestination: false, ...base };
  }
  // Either test reaches another IP than test I: the same mapping there proves endpoint independence.
  const compared = (testII ?? testIII) as StunAddress;
  if (sameAddress(testI, compared)) {
    const via = testII ? 'both server addresses' : 'both server addresses (the alternate IP answered on its alternate port only)';
    return { mapping: 'endpoint-independent', reason: `the same public address and port towards ${via}`, variesByDestination: false, ...base };
  }
  if (!testII || !testIII) {
    const silent = testII ? 'the alternate port' : 'the alternate IP’s primary port';
    return {
      mapping: 'unknown',
      reason: `the mapping changed with the destination IP, but ${silent} did not answer to tell address-dependent from address-and-port-dependent`,
      variesByDestination: true,
      ...base,
    };
  }
  return sameAddress(testII, testIII)
    ? { mapping: 'address-dependent', reason: 'a new mapping for each destination IP, kept across its ports', variesByDestination: true, ...base }
    : { mapping: 'address-and-port-dependent', reason: 'a new mapping for each destination IP and port', variesByDestination: true, ...base };
}

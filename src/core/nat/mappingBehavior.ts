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

export interface MappingResult {
  mapping: MappingBehavior;
  reason: string;
  /** Not EIM, but ADM vs APDM is undecided (the alternate port did not answer). */
  variesByDestination: boolean;
  /** The alternate IP answered: proof that the server's second address is alive. */
  alternateAlive: boolean;
}

/** True when the mapped address is this machine's own: no NAT on the path (RFC 5780 §4.3). */
export function isUnNatted(mapped: StunAddress, localPort: number): boolean {
  return mapped.port === localPort && isLocalAddress(mapped.address);
}

export async function testMapping(
  socket: UdpTransactions,
  server: ResolvedServer,
  other: StunAddress,
  testIMapped: StunAddress,
  rttMs: number,
  signal: AbortSignal,
): Promise<MappingResult> {
  const schedule = measuredSchedule(rttMs, { proofTransmissions: 3 });
  const [testII, testIII] = await Promise.all([
    bindingRequest(socket, { address: other.address, port: server.port }, {}, schedule, signal),
    bindingRequest(socket, { address: other.address, port: other.port }, {}, schedule, signal),
  ]);
  const mappedOf = (o: BindingOutcome): StunAddress | null => (o.kind === 'answer' && o.value.kind === 'success' ? (mappedAddressOf(o.value) ?? null) : null);
  return decideMapping(testIMapped, mappedOf(testII), mappedOf(testIII), socket.localPort);
}

export function decideMapping(
  testI: StunAddress,
  testII: StunAddress | null,
  testIII: StunAddress | null,
  localPort: number,
): MappingResult {
  const alternateAlive = testII !== null || testIII !== null;
  if (isUnNatted(testI, localPort)) {
    return { mapping: 'none', reason: 'the server sees this machine’s own address and port', variesByDestination: false, alternateAlive };
  }
  if (!testII) {
    return {
      mapping: 'unknown',
      reason: 'the server’s alternate address did not answer, so the mapping could not be compared',
      variesByDestination: false,
      alternateAlive,
    };
  }
  if (sameAddress(testI, testII)) {
    return { mapping: 'endpoint-independent', reason: 'the same public address and port towards both server addresses', variesByDestination: false, alternateAlive };
  }
  if (!testIII) {
    return {
      mapping: 'unknown',
      reason: 'the mapping changed with the destination IP, but the alternate port did not answer to tell address-dependent from address-and-port-dependent',
      variesByDestination: true,
      alternateAlive,
    };
  }
  return sameAddress(testII, testIII)
    ? { mapping: 'address-dependent', reason: 'a new mapping for each destination IP, kept across its ports', variesByDestination: true, alternateAlive }
    : { mapping: 'address-and-port-dependent', reason: 'a new mapping for each destination IP and port', variesByDestination: true, alternateAlive };
}

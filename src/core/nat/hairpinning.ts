// RFC 5780 §4.5 hairpinning: does a packet sent to our own public mapping come back to us? Off by
// default — some firewalls read it as a LAND attack (Tailscale removed theirs for that reason).
import type { Schedule } from '../net/udpTransactions';
import { UdpTransactions } from '../net/udpTransactions';
import { encodeBindingRequest } from '../stun/binding';
import type { StunAddress } from '../stun/stunAttributes';
import { decodeStunMessage, METHOD } from '../stun/stunMessage';

/**
 * Sends a Binding request from a fresh socket to `mapped` (the public mapping of `target`) on
 * `schedule` and reports whether `target` received it.
 */
export async function testHairpinning(target: UdpTransactions, mapped: StunAddress, schedule: Schedule, signal: AbortSignal): Promise<boolean> {
  const sender = await UdpTransactions.open({ family: mapped.family });
  const { transactionId, packet } = encodeBindingRequest();
  const arrived = new AbortController();
  const stopListening = target.onUnmatched((datagram) => {
    const message = decodeStunMessage(datagram);
    if (message?.method === METHOD.binding && message.cls === 'request' && message.transactionId.equals(transactionId)) arrived.abort();
  });
  try {
    // Nothing answers the sender: the transaction ends when the request reaches `target` (the
    // abort) or in silence.
    const outcome = await sender.request({
      to: mapped,
      packet,
      match: () => undefined,
      schedule,
      signal: AbortSignal.any([signal, arrived.signal]),
    });
    return outcome.kind === 'aborted' && arrived.signal.aborted;
  } finally {
    stopListening();
    await sender.close();
  }
}

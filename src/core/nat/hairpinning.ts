// RFC 5780 §4.5 hairpinning: does a packet sent to our own public mapping come back to us? Off by
// default — some firewalls read it as a LAND attack (Tailscale removed theirs for that reason).
import { StunSocket } from '../stun/stunSocket';
import { encodeBindingRequest, type StunAddress } from '../stun/stunMessage';
import * as dgram from 'node:dgram';
import type { RetransmitPolicy } from '../stun/stunSocket';
import { closeSocket } from '../net/closeSocket';

/**
 * Sends Binding requests from a fresh socket to `mapped` (the public mapping of `target`) and
 * reports whether `target` received one of them.
 */
export async function testHairpinning(
  target: StunSocket,
  mapped: StunAddress,
  policy: RetransmitPolicy,
  signal: AbortSignal,
): Promise<boolean> {
  const sender = dgram.createSocket(mapped.family === 'IPv6' ? { type: 'udp6', ipv6Only: true } : { type: 'udp4' });
  const { transactionId, packet } = encodeBindingRequest();
  let timer: NodeJS.Timeout | undefined;
  let stopListening: (() => void) | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<boolean>((resolve) => {
      stopListening = target.onIncomingRequest((id) => {
        if (id.equals(transactionId)) resolve(true);
      });
      onAbort = () => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
      sender.on('error', () => resolve(false));
      let sends = 0;
      let interval = policy.rtoMs;
      const send = (): void => {
        sends++;
        sender.send(packet, mapped.port, mapped.address, (err) => {
          if (err) resolve(false);
        });
        if (sends < policy.transmissions) {
          timer = setTimeout(send, interval);
          interval = Math.min(interval * 2, policy.maxIntervalMs ?? Infinity);
        } else {
          timer = setTimeout(() => resolve(false), policy.rtoMs * policy.finalWaitRtos);
        }
      };
      send();
    });
  } finally {
    if (timer) clearTimeout(timer);
    stopListening?.();
    if (onAbort) signal.removeEventListener('abort', onAbort);
    await closeSocket(sender);
  }
}

// A short request/response exchange with the gateway over UDP, shared by NAT-PMP and PCP: a few
// sends inside one window on a connected socket (ICMP port unreachable ends it at once: RFC 6886
// §3.1 reads that as "no NAT-PMP"), and only datagrams from the gateway's own address count.
import { UdpTransactions } from '../net/udpTransactions';

export interface GatewayExchange {
  /** The first acceptable reply, or null when the window closed without one. */
  reply: Buffer | null;
  /** ICMP port unreachable: nothing listens there. */
  refused: boolean;
  error?: string;
}

export async function exchangeWithGateway(
  gateway: string,
  port: number,
  request: Buffer,
  accept: (reply: Buffer) => boolean,
  windowMs: number,
  signal: AbortSignal,
): Promise<GatewayExchange> {
  const socket = await UdpTransactions.connect(gateway, port);
  if (!(socket instanceof UdpTransactions)) {
    return { reply: null, refused: socket.kind === 'refused', error: socket.kind === 'refused' ? 'port closed' : socket.kind === 'send-error' ? socket.message : socket.kind };
  }
  try {
    const outcome = await socket.request({
      packet: request,
      match: (reply) => (accept(reply) ? { value: reply } : undefined),
      schedule: { sendAtMs: [0, Math.round(windowMs / 2.5)], silenceAtMs: windowMs },
      signal,
    });
    switch (outcome.kind) {
      case 'answer':
        return { reply: outcome.value, refused: false };
      case 'refused':
        return { reply: null, refused: true, error: 'port closed' };
      case 'aborted':
        return { reply: null, refused: false, error: 'stopped' };
      case 'unreachable':
        return { reply: null, refused: false, error: outcome.code };
      case 'send-error':
        return { reply: null, refused: false, error: outcome.message };
      case 'silence':
      case 'wrong-source':
        return { reply: null, refused: false };
    }
  } finally {
    await socket.close();
  }
}

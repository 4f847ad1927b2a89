// A short request/response exchange with the gateway over UDP, shared by NAT-PMP and PCP: a few
// sends inside one window, and only datagrams from the gateway's own address count.
import * as dgram from 'node:dgram';
import { closeSocket } from '../net/closeSocket';

export interface GatewayExchange {
  /** The first acceptable reply, or null when the window closed without one. */
  reply: Buffer | null;
  /** ICMP port unreachable: nothing listens there (RFC 6886 §3.1: "no NAT-PMP" at once). */
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
  const socket = dgram.createSocket('udp4');
  const timers: NodeJS.Timeout[] = [];
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<GatewayExchange>((resolve) => {
      onAbort = () => resolve({ reply: null, refused: false, error: 'stopped' });
      signal.addEventListener('abort', onAbort, { once: true });
      socket.on('message', (msg, rinfo) => {
        if (rinfo.address === gateway && rinfo.port === port && accept(msg)) resolve({ reply: msg, refused: false });
      });
      socket.on('error', (err) => {
        const code = (err as NodeJS.ErrnoException).code;
        resolve({ reply: null, refused: code === 'ECONNREFUSED', error: code === 'ECONNREFUSED' ? 'port closed' : err.message });
      });
      // A connected socket learns of ICMP port-unreachable (ECONNREFUSED) instead of waiting.
      socket.connect(port, gateway, () => {
        const send = (): void => socket.send(request, (err) => err && resolve({ reply: null, refused: false, error: err.message }));
        send();
        timers.push(setTimeout(send, Math.round(windowMs / 2.5)));
        timers.push(setTimeout(() => resolve({ reply: null, refused: false }), windowMs));
      });
    });
  } finally {
    for (const t of timers) clearTimeout(t);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    await closeSocket(socket);
  }
}

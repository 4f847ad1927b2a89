// A tiny RFC 5389 STUN server for the extension-host tests: answers every Binding request with
// XOR-MAPPED-ADDRESS, so the extension's real engine does a real STUN exchange over loopback.
// `silent` makes a server that receives and never answers (for the cancel test). Messages are
// built by the lab's own codec (test/lab/stunWire.ts), never the product's: a codec bug must not
// cancel itself out.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { BINDING_REQUEST, bindingSuccess, parseMessage } from '../../lab/stunWire';

export interface StunResponder {
  port: number;
  /** Binding requests received so far. */
  requests: number;
  close(): Promise<void>;
}

function answer(request: Buffer, from: RemoteInfo): Buffer | undefined {
  const message = parseMessage(request);
  if (message?.type !== BINDING_REQUEST || from.family !== 'IPv4') return undefined;
  return bindingSuccess(message.transactionId, { address: from.address, port: from.port });
}

export function startStunResponder(options: { silent?: boolean } = {}): Promise<StunResponder> {
  const socket = createSocket('udp4');
  const responder: StunResponder = {
    port: 0,
    requests: 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (message, from) => {
    responder.requests += 1;
    if (options.silent) return;
    const response = answer(message, from);
    if (response) socket.send(response, from.port, from.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      responder.port = socket.address().port;
      resolve(responder);
    });
  });
}

// A tiny RFC 5389 STUN server for the extension-host tests: answers every Binding request with
// XOR-MAPPED-ADDRESS, so the extension's real engine does a real STUN exchange over loopback.
// `silent` makes a server that receives and never answers (for the cancel test).
import { createSocket, type RemoteInfo } from 'node:dgram';

const MAGIC_COOKIE = 0x2112a442;

export interface StunResponder {
  port: number;
  /** Binding requests received so far. */
  requests: number;
  close(): Promise<void>;
}

function bindingSuccess(request: Buffer, from: RemoteInfo): Buffer | undefined {
  if (request.length < 20 || request.readUInt16BE(0) !== 0x0001 || request.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  if (from.family !== 'IPv4') return undefined;
  const response = Buffer.alloc(20 + 12);
  response.writeUInt16BE(0x0101, 0); // Binding success response
  response.writeUInt16BE(12, 2);
  response.writeUInt32BE(MAGIC_COOKIE, 4);
  request.copy(response, 8, 8, 20); // transaction id
  response.writeUInt16BE(0x0020, 20); // XOR-MAPPED-ADDRESS
  response.writeUInt16BE(8, 22);
  response.writeUInt8(0, 24);
  response.writeUInt8(0x01, 25); // IPv4
  response.writeUInt16BE(from.port ^ (MAGIC_COOKIE >>> 16), 26);
  const address = from.address.split('.').reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
  response.writeUInt32BE((address ^ MAGIC_COOKIE) >>> 0, 28);
  return response;
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
    const response = bindingSuccess(message, from);
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

// A hostile STUN "server" for the lab, run inside the public namespace. For every Binding Request
// it sends, in the order configured, any of:
//   garbage          random bytes
//   malformed        right transaction id, attribute length running past the end of the packet
//   wrong-tid        a well-formed success with someone else's transaction id and a false address
//   truncated        right transaction id, false address, the last bytes cut off
//   oversized        right transaction id, false address, then ~64 KB of trailing bytes the header does not count
//   wrong-source-port    right tid, false address, sent from the same IP but another port
//   wrong-source-address right tid, false address, sent from another IP
//   unknown-required     right tid, false address, and a comprehension-required attribute (0x7777)
//                        no client understands: RFC 8489 §14 makes the transaction a failure
//   fingerprint-not-last right tid, false address, a valid FINGERPRINT followed by SOFTWARE: the
//                        message must be dropped (RFC 8489 §14.7)
//   real             the true answer (XOR-MAPPED-ADDRESS = the request's source), from the right socket
// With `claimOtherAddress`, real answers carry an OTHER-ADDRESS it does not honour: it listens there
// too, but answers every CHANGE-REQUEST from the socket the request arrived on (a false RFC 5780
// server: a client that does not check the source would call that endpoint-independent filtering).
//
// Script form: node out/test/lab/hostileResponder.js '<HostileConfig JSON>' — prints READY when bound
// and one `REQ <ip>:<port> change=<flags> at=<ip>:<port>` line per request it receives.
import { randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { LabProcess, Netns } from './netns';
import {
  ATTR,
  BINDING_REQUEST,
  BINDING_SUCCESS,
  attribute,
  bindingSuccess,
  encodeMessage,
  newTransactionId,
  parseMessage,
  plainAddress,
  xorMappedAddress,
  type StunAddress,
} from './stunWire';

export type HostileBehaviour =
  | 'garbage'
  | 'malformed'
  | 'wrong-tid'
  | 'truncated'
  | 'oversized'
  | 'wrong-source-port'
  | 'wrong-source-address'
  | 'unknown-required'
  | 'fingerprint-not-last'
  | 'real';

export const ALL_HOSTILE_BEHAVIOURS: readonly HostileBehaviour[] = [
  'garbage',
  'malformed',
  'wrong-tid',
  'truncated',
  'oversized',
  'wrong-source-port',
  'wrong-source-address',
  'unknown-required',
  'fingerprint-not-last',
];

export interface HostileConfig {
  /** Where it listens (the address given to the client as `--stun`). */
  listen: StunAddress;
  /** Another local address for `wrong-source-address` replies (must exist in the namespace). */
  wrongSourceAddress: string;
  behaviours: readonly HostileBehaviour[];
  /** Advertise this OTHER-ADDRESS (and listen on its IP at both ports) without honouring CHANGE-REQUEST. */
  claimOtherAddress?: StunAddress;
}

/** A false mapped address: a client that believes one of these has been fooled. */
export const FALSE_MAPPED: StunAddress = { address: '198.51.100.99', port: 9 };

export interface HostileResponder {
  process: LabProcess;
  config: HostileConfig;
  /** `address:port` for `--stun`. */
  server: string;
  /** Binding Requests received so far (from the script's log). */
  requestCount(): number;
  stop(): Promise<void>;
}

/** Starts the responder in `ns` and waits until its sockets are bound. */
export async function startHostileResponder(ns: Netns, config: HostileConfig): Promise<HostileResponder> {
  const proc = ns.spawn(process.execPath, [__filename, JSON.stringify(config)]);
  try {
    await proc.waitForOutput(/^READY$/m, 10_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    process: proc,
    config,
    server: `${config.listen.address}:${config.listen.port}`,
    requestCount: () => (proc.stdout.match(/^REQ /gm) ?? []).length,
    stop: () => proc.stop(),
  };
}

function bindSocket(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      socket.on('error', (err) => process.stderr.write(`socket error: ${err.message}\n`));
      resolve(socket);
    });
  });
}

async function runResponder(config: HostileConfig): Promise<void> {
  const { listen } = config;
  const primary = await bindSocket(listen.address, listen.port);
  const wrongPort = await bindSocket(listen.address, 0);
  const wrongAddress = await bindSocket(config.wrongSourceAddress, listen.port);
  const listeners: Socket[] = [primary];
  const other = config.claimOtherAddress;
  if (other) {
    // Listen at the claimed alternate IP on both ports so that mapping tests get (true) answers.
    listeners.push(await bindSocket(other.address, listen.port), await bindSocket(other.address, other.port));
  }

  const send = (socket: Socket, packet: Buffer, to: RemoteInfo): void => {
    socket.send(packet, to.port, to.address, () => undefined);
  };

  for (const socket of listeners) {
    const local = socket.address();
    socket.on('message', (packet, rinfo) => {
      const request = parseMessage(packet);
      if (!request || request.type !== BINDING_REQUEST) return;
      const flags = request.attributes.get(ATTR.CHANGE_REQUEST)?.readUInt32BE(0) ?? 0;
      process.stdout.write(`REQ ${rinfo.address}:${rinfo.port} change=${flags} at=${local.address}:${local.port}\n`);
      const tid = request.transactionId;
      const truth: StunAddress = { address: rinfo.address, port: rinfo.port };
      const here: StunAddress = { address: local.address, port: local.port };
      for (const behaviour of config.behaviours) {
        switch (behaviour) {
          case 'garbage':
            send(socket, randomBytes(16 + Math.floor(Math.random() * 200)), rinfo);
            break;
          case 'malformed': {
            const msg = bindingSuccess(tid, FALSE_MAPPED);
            msg.writeUInt16BE(0x0200, 22); // first attribute claims 512 bytes
            send(socket, msg, rinfo);
            break;
          }
          case 'wrong-tid':
            send(socket, bindingSuccess(newTransactionId(), FALSE_MAPPED, { responseOrigin: here }), rinfo);
            break;
          case 'truncated': {
            const msg = bindingSuccess(tid, FALSE_MAPPED, { responseOrigin: here, software: 'hostile' });
            send(socket, msg.subarray(0, msg.length - 6), rinfo);
            break;
          }
          case 'oversized': {
            const msg = bindingSuccess(tid, FALSE_MAPPED, { responseOrigin: here });
            send(socket, Buffer.concat([msg, Buffer.alloc(64_000, 0x41)]), rinfo);
            break;
          }
          case 'wrong-source-port':
            send(wrongPort, bindingSuccess(tid, FALSE_MAPPED, { responseOrigin: here }), rinfo);
            break;
          case 'wrong-source-address':
            send(wrongAddress, bindingSuccess(tid, FALSE_MAPPED, { responseOrigin: here }), rinfo);
            break;
          case 'unknown-required':
            send(
              socket,
              encodeMessage(BINDING_SUCCESS, tid, [
                attribute(ATTR.XOR_MAPPED_ADDRESS, xorMappedAddress(FALSE_MAPPED, tid)),
                attribute(ATTR.RESPONSE_ORIGIN, plainAddress(here)),
                attribute(0x7777, Buffer.from('must be understood')),
              ]),
              rinfo,
            );
            break;
          case 'fingerprint-not-last': {
            const signed = encodeMessage(BINDING_SUCCESS, tid, [attribute(ATTR.XOR_MAPPED_ADDRESS, xorMappedAddress(FALSE_MAPPED, tid))], { fingerprint: true });
            const moved = Buffer.concat([signed, attribute(ATTR.SOFTWARE, Buffer.from('after the fingerprint'))]);
            moved.writeUInt16BE(moved.length - 20, 2);
            send(socket, moved, rinfo);
            break;
          }
          case 'real':
            // CHANGE-REQUEST is answered from the socket it came in on: the lie a client must catch.
            send(socket, bindingSuccess(tid, truth, { responseOrigin: here, ...(other ? { otherAddress: other } : {}), software: 'hostile' }), rinfo);
            break;
        }
      }
    });
  }
  process.stdout.write('READY\n');
  const shutdown = (): void => {
    for (const s of [...listeners, wrongPort, wrongAddress]) s.close();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) {
  const raw = process.argv[2];
  if (raw === undefined) {
    process.stderr.write("usage: hostileResponder '<HostileConfig JSON>'\n");
    process.exit(2);
  }
  runResponder(JSON.parse(raw) as HostileConfig).catch((err: Error) => {
    process.stderr.write(`hostile responder failed: ${err.message}\n`);
    process.exit(1);
  });
}

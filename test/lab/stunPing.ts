// A minimal STUN binding client for the lab: used to wait until a server really answers (instead
// of sleeping) and as a sanity probe. Run in a namespace as a script:
//   node out/test/lab/stunPing.js HOST PORT [DEADLINE_MS] [change-ip|change-port|change-both]
// prints one JSON line ({ mapped, from, otherAddress, rttMs }) and exits 0, or exits 1 on timeout.
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Netns } from './netns';
import {
  ATTR,
  BINDING_SUCCESS,
  bindingRequest,
  decodeAddress,
  mappedAddressOf,
  newTransactionId,
  parseMessage,
  type StunAddress,
} from './stunWire';

export interface StunPingResult {
  mapped: StunAddress;
  /** Where the answer came from. */
  from: StunAddress;
  otherAddress: StunAddress | null;
  rttMs: number;
}

export interface StunPingOptions {
  deadlineMs?: number;
  /** Retransmission interval (a fixed 100 ms: this is a readiness poll, not the engine). */
  intervalMs?: number;
  change?: { ip: boolean; port: boolean };
}

/** Sends Binding Requests to host:port until one answers with our transaction id (bounded). */
export function stunPing(host: string, port: number, options: StunPingOptions = {}): Promise<StunPingResult> {
  const deadlineMs = options.deadlineMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 100;
  const transactionId = newTransactionId();
  const request = bindingRequest(transactionId, options.change);
  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  const started = Date.now();
  return new Promise<StunPingResult>((resolve, reject) => {
    let interval: NodeJS.Timeout | undefined;
    const finish = (err: Error | undefined, result?: StunPingResult): void => {
      clearInterval(interval);
      clearTimeout(deadline);
      socket.close();
      if (err) reject(err);
      else if (result) resolve(result);
    };
    const deadline = setTimeout(() => finish(new Error(`no STUN answer from ${host}:${port} within ${deadlineMs} ms`)), deadlineMs);
    socket.on('error', (err) => finish(err));
    socket.on('message', (packet, rinfo) => {
      const message = parseMessage(packet);
      if (!message || message.type !== BINDING_SUCCESS || !message.transactionId.equals(transactionId)) return;
      const mapped = mappedAddressOf(message);
      if (!mapped) return;
      const other =
        decodeAddress(message.attributes.get(ATTR.OTHER_ADDRESS), false) ??
        decodeAddress(message.attributes.get(ATTR.CHANGED_ADDRESS), false) ??
        null;
      finish(undefined, { mapped, from: { address: rinfo.address, port: rinfo.port }, otherAddress: other, rttMs: Date.now() - started });
    });
    socket.bind(0, () => {
      const send = (): void => socket.send(request, port, host, () => undefined);
      send();
      interval = setInterval(send, intervalMs);
    });
  });
}

/** Runs `stunPing` inside a namespace (as this file's script form). */
export async function stunPingIn(ns: Netns, host: string, port: number, deadlineMs = 5_000): Promise<StunPingResult> {
  const result = await ns.check(process.execPath, [__filename, host, String(port), String(deadlineMs)], { timeoutMs: deadlineMs + 5_000 });
  return JSON.parse(result.stdout) as StunPingResult;
}

if (require.main === module) {
  const [host, portText, deadlineText, changeText] = process.argv.slice(2);
  const change =
    changeText === 'change-ip' ? { ip: true, port: false }
    : changeText === 'change-port' ? { ip: false, port: true }
    : changeText === 'change-both' ? { ip: true, port: true }
    : undefined;
  if (host === undefined || portText === undefined) {
    process.stderr.write('usage: stunPing HOST PORT [DEADLINE_MS] [change-ip|change-port|change-both]\n');
    process.exit(2);
  }
  stunPing(host, Number(portText), { deadlineMs: Number(deadlineText ?? 5000), ...(change ? { change } : {}) }).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    },
  );
}

// coturn as the lab's STUN server. With two listening IPs it is an RFC 5780 server (OTHER-ADDRESS
// = second IP, port + 1); with one it answers Binding Requests only (CHANGE-REQUEST gets 420).
// Ready means: it answered a real Binding Request on every address:port it serves.
import { join } from 'node:path';
import type { LabProcess, Netns } from './netns';
import { stunPingIn } from './stunPing';

export interface CoturnOptions {
  /** One or two listening IPs (two make it an RFC 5780 server). */
  addresses: readonly string[];
  /** Primary port (default 3478); the alternate port is port + 1. */
  port?: number;
  /** How long to wait for readiness (default 10 s). */
  readyTimeoutMs?: number;
}

export interface Coturn {
  process: LabProcess;
  addresses: readonly string[];
  port: number;
  /** `address:port` of the primary listener, for `--stun`. */
  primary: string;
  stop(): Promise<void>;
}

export async function startCoturn(ns: Netns, options: CoturnOptions): Promise<Coturn> {
  const { addresses } = options;
  if (addresses.length < 1 || addresses.length > 2) throw new Error('coturn takes one or two listening addresses');
  const port = options.port ?? 3478;
  const workDir = ns.lab.tempDir('coturn');
  const args = [
    '-n', // no config file
    ...addresses.flatMap((a) => ['--listening-ip', a]),
    '--listening-port', String(port),
    '--alt-listening-port', String(port + 1),
    '--no-tcp', '--no-tls', '--no-dtls', '--stun-only', '--no-cli',
    '--log-file=stdout', '--simple-log',
    '--pidfile', join(workDir, 'turnserver.pid'),
    '--userdb', join(workDir, 'turndb'),
  ];
  const proc = ns.spawn('turnserver', args);
  const stop = (): Promise<void> => proc.stop(); // the lab removes workDir
  try {
    await waitUntilAnswering(ns, proc, addresses, port, options.readyTimeoutMs ?? 10_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { process: proc, addresses, port, primary: `${addresses[0]}:${port}`, stop };
}

/** Polls every listener with a real Binding Request; fails fast if coturn exits. */
async function waitUntilAnswering(ns: Netns, proc: LabProcess, addresses: readonly string[], port: number, timeoutMs: number): Promise<void> {
  const ports = addresses.length === 2 ? [port, port + 1] : [port];
  const pings = Promise.all(addresses.flatMap((a) => ports.map((p) => stunPingIn(ns, a, p, timeoutMs))));
  const died = proc.exited.then(({ code, signal }) => {
    throw new Error(`turnserver exited (${code ?? signal}) before it answered:\n${proc.tail()}`);
  });
  await Promise.race([pings, died]);
  died.catch(() => undefined); // it will reject when we stop coturn later; nobody waits on it then
}

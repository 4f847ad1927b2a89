// Which STUN servers a diagnosis talks to, and turning their names into addresses.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isParseError, parseHostPort } from '../net/endpoint';

/**
 * Used only when the user names no server (README "Default STUN servers"). The first three answer
 * RFC 5780 behaviour tests (two IPs, OTHER-ADDRESS; validated by muink/rfc5780-stun-server); the
 * last two are large anycast services that do not, but give a second and third mapping to compare
 * when the others are down. Every answer is validated at run time: a listed server that stopped
 * supporting RFC 5780 yields "unknown", never a guessed verdict.
 */
export const DEFAULT_STUN_SERVERS: readonly string[] = [
  'stun.voipgate.com:3478',
  'stun.sip.us:3478',
  'stun.mixvoip.com:3478',
  'stun.l.google.com:19302',
  'stun.cloudflare.com:3478',
];

export interface ResolvedServer {
  /** As the user gave it. */
  server: string;
  host: string;
  port: number;
  address: string;
  family: 'IPv4' | 'IPv6';
}

export interface UnresolvedServer {
  server: string;
  error: string;
}

export type ServerResolution = ResolvedServer | UnresolvedServer;

export function isResolved(server: ServerResolution): server is ResolvedServer {
  return 'address' in server;
}

/** Checks `host:port` syntax up front, so the CLI can exit 2 before any packet is sent. */
export function validateServerList(servers: readonly string[]): string[] {
  const errors: string[] = [];
  for (const server of servers) {
    const parsed = parseHostPort(server);
    if (isParseError(parsed)) errors.push(parsed.error);
  }
  return errors;
}

/**
 * Resolves every server concurrently; a name that does not resolve becomes an error entry and the
 * others carry on. IPv4 is preferred: the NAT that breaks VPNs and P2P is the IPv4 one.
 */
export async function resolveServers(servers: readonly string[], signal: AbortSignal): Promise<ServerResolution[]> {
  // A resolver that never answers (offline with a configured DNS server) must not eat the whole
  // deadline: names get their own bound, and the report says DNS did not answer.
  const dnsDeadline = new AbortController();
  const timer = setTimeout(() => dnsDeadline.abort(new Error('dns')), DNS_TIMEOUT_MS);
  try {
    const bounded = AbortSignal.any([signal, dnsDeadline.signal]);
    return await Promise.all(servers.map((server) => resolveServer(server, bounded)));
  } finally {
    clearTimeout(timer);
  }
}

/** getaddrinfo retries for up to ~10 s; a STUN server that needs longer to resolve is not usable. */
export const DNS_TIMEOUT_MS = 3000;

async function resolveServer(server: string, signal: AbortSignal): Promise<ServerResolution> {
  const parsed = parseHostPort(server);
  if (isParseError(parsed)) return { server, error: parsed.error };
  const literal = isIP(parsed.host);
  if (literal !== 0) {
    return { server, host: parsed.host, port: parsed.port, address: parsed.host, family: literal === 6 ? 'IPv6' : 'IPv4' };
  }
  try {
    // getaddrinfo cannot be cancelled; stop waiting for it instead.
    const answers = await raceAbort(lookup(parsed.host, { all: true }), signal);
    const chosen = answers.find((a) => a.family === 4) ?? answers[0];
    if (!chosen) return { server, error: `${parsed.host} has no address` };
    return { server, host: parsed.host, port: parsed.port, address: chosen.address, family: chosen.family === 6 ? 'IPv6' : 'IPv4' };
  } catch (err) {
    if (signal.aborted) {
      const reason = signal.reason instanceof Error && signal.reason.message === 'dns' ? `DNS did not answer within ${DNS_TIMEOUT_MS / 1000} s (offline?)` : 'stopped before the name resolved';
      return { server, error: `${parsed.host}: ${reason}` };
    }
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOTFOUND' ? 'name does not resolve' : code === 'EAI_AGAIN' ? 'DNS did not answer (offline?)' : (err as Error).message;
    return { server, error: `${parsed.host}: ${reason}` };
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

// openvpn: a P_CONTROL_HARD_RESET_CLIENT_V2 over UDP (or TCP when the config says so). A 2.6
// server answers the first reset statelessly; tls-auth / tls-crypt servers answer only a packet
// wrapped with their key, so with the user's config we wrap it, and when the server stays silent
// we try the other key-direction / digest combinations to say which setting is wrong (§B2.4).
import { randomBytes } from 'node:crypto';
import type { ProbeContext, ProbeFinding } from '../probeContext';
import { failureOutcome, formatSeconds, roundRtt } from '../outcome';
import { probeSchedule } from '../../net/retransmission';
import { UdpTransactions } from '../../net/udpTransactions';
import { tcpConnect } from '../tcp/tcpConnect';
import {
  buildHardResetClient,
  deframeTcp,
  describeWrapping,
  frameForTcp,
  parseHardResetServer,
  type ControlWrapping,
  type HmacDigest,
} from './hardReset';
import type { OpenVpnProbeConfig } from './openvpnProbeConfig';

const SILENCE_NO_KEY =
  'a server with tls-auth or tls-crypt ignores unsigned packets, a firewall may drop UDP, or nothing listens; give --config with your .ovpn for a signed probe';

interface Sent {
  sessionId: Buffer;
  wrapping: ControlWrapping;
}

function resetFor(wrapping: ControlWrapping): { sent: Sent; packet: Buffer } {
  const sessionId = randomBytes(8);
  const packet = buildHardResetClient({ sessionId, replayPacketId: 1, time: Math.floor(Date.now() / 1000) }, wrapping);
  return { sent: { sessionId, wrapping }, packet };
}

/** Which sent packet a datagram answers, verified with that packet's own key and session id. */
function matchReply(msg: Buffer, sent: Sent[]): number | undefined {
  for (let i = 0; i < sent.length; i++) {
    const s = sent[i];
    if (s && parseHardResetServer(msg, s.wrapping, s.sessionId)) return i;
  }
  return undefined;
}

/** The wrappings to try when the config's own one got no answer (at most 9 + plain, §B2.4). */
export function alternativeWrappings(configured: ControlWrapping): ControlWrapping[] {
  const out: ControlWrapping[] = [];
  if (configured.kind === 'tls-auth') {
    for (const direction of [1, 0, 'none'] as const) {
      for (const digest of ['sha1', 'sha256', 'sha512'] as HmacDigest[]) {
        if (direction === configured.direction && digest === configured.digest) continue;
        out.push({ kind: 'tls-auth', key: configured.key, direction, digest });
      }
    }
    // A tls-crypt server with the same key file, or a server with no HMAC firewall at all.
    out.push({ kind: 'tls-crypt', key: configured.key });
  } else if (configured.kind === 'tls-crypt') {
    for (const direction of [1, 0, 'none'] as const) out.push({ kind: 'tls-auth', key: configured.key, direction, digest: 'sha1' });
    for (const direction of [1, 0, 'none'] as const) out.push({ kind: 'tls-auth', key: configured.key, direction, digest: 'sha256' });
  }
  // tls-crypt-v2: the wrapped key is bound to the server key; only "no wrapping at all" is left to try.
  if (configured.kind !== 'plain') out.push({ kind: 'plain' });
  return out;
}

/** Plain words for "the server answered `found`, your config says `configured`". */
export function mismatchAdvice(configured: ControlWrapping, found: ControlWrapping): string {
  if (found.kind === 'plain') return `the server answers unsigned resets: it does not use ${configured.kind}; remove ${configured.kind} from your config or add it to the server`;
  if (found.kind === 'tls-crypt') return 'the server uses tls-crypt with this key, not tls-auth: replace "tls-auth" with "tls-crypt" in your config';
  if (configured.kind === 'tls-crypt') return `the server uses tls-auth (${describeWrapping(found)}) with this key, not tls-crypt`;
  if (configured.kind !== 'tls-auth' || found.kind !== 'tls-auth') return `the server answers ${describeWrapping(found)}`;
  const fixes: string[] = [];
  if (found.direction !== configured.direction) {
    fixes.push(found.direction === 'none' ? 'remove key-direction (the server uses the key bidirectionally)' : `set key-direction ${found.direction} (your config: ${configured.direction === 'none' ? 'none' : configured.direction})`);
  }
  if (found.digest !== configured.digest) fixes.push(`set auth ${found.digest.toUpperCase()} (your config: ${configured.digest.toUpperCase()})`);
  return `the server answers ${describeWrapping(found)}: ${fixes.join(' and ')}`;
}

export async function probeOpenVpn(ctx: ProbeContext): Promise<ProbeFinding> {
  const config = ctx.options.config?.openvpn;
  const proto = transportFor(config, ctx.target.host, ctx.target.port);
  const finding = proto === 'tcp' ? await probeOverTcp(ctx, config) : await probeOverUdp(ctx, config);
  if (config?.notes.length) finding.detail += ` (config: ${config.notes.join('; ')})`;
  return finding;
}

/** UDP unless the config's matching remote (or its `proto`) says TCP. */
function transportFor(config: OpenVpnProbeConfig | undefined, host: string, port: number): 'udp' | 'tcp' {
  if (!config) return 'udp';
  const remote = config.remotes.find((r) => r.host.toLowerCase() === host.toLowerCase() && (r.port ?? config.port ?? 1194) === port) ?? config.remotes[0];
  return remote?.proto ?? config.proto ?? 'udp';
}

async function probeOverUdp(ctx: ProbeContext, config: OpenVpnProbeConfig | undefined): Promise<ProbeFinding> {
  const { address, target, timeoutMs, options } = ctx;
  const what = `UDP ${target.port}`;
  const configured: ControlWrapping = config?.wrapping ?? { kind: 'plain' };
  const opened = await UdpTransactions.connect(address, target.port);
  if (!(opened instanceof UdpTransactions)) return { ...failureOutcome(opened, what, '', timeoutMs), rttMs: null };
  const socket = opened;
  try {
    // A fresh session id per send: the server answers each new session once and never
    // retransmits its stateless reply, so a retry must look like a new client.
    const sent: Sent[] = [];
    const packet = (transmission: number): Buffer => {
      const r = resetFor(configured);
      sent[transmission] = r.sent;
      return r.packet;
    };
    const accept = (msg: Buffer): { value: number; transmission: number } | undefined => {
      const i = matchReply(msg, sent);
      return i === undefined ? undefined : { value: i, transmission: i };
    };
    const outcome = await socket.request({ packet, match: accept, schedule: probeSchedule(timeoutMs), signal: options.signal });
    if (outcome.kind === 'answer') {
      return { state: 'open', rttMs: roundRtt(outcome.rttMs), detail: `OpenVPN server answered our reset (${describeWrapping(configured)})` };
    }
    if (outcome.kind !== 'silence' || configured.kind === 'plain') {
      return { ...failureOutcome(outcome, what, configured.kind === 'plain' ? SILENCE_NO_KEY : 'nothing answered', timeoutMs), rttMs: null };
    }
    // Silence with a key: try the other combinations, all at once, each with its own session id.
    options.onProgress?.(`${ctx.label}: no answer with ${describeWrapping(configured)}; trying other key-direction/digest settings`);
    const alternatives = alternativeWrappings(configured).map(resetFor);
    const tried = alternatives.map((a) => a.sent);
    const second = await socket.request({
      packet: (i) => (alternatives[i] as (typeof alternatives)[number]).packet,
      match: (msg) => {
        const i = matchReply(msg, tried);
        return i === undefined ? undefined : { value: i, transmission: i };
      },
      schedule: { sendAtMs: alternatives.map((_, i) => i * 5), silenceAtMs: timeoutMs },
      signal: options.signal,
    });
    if (second.kind === 'answer') {
      const found = (tried[second.value] as Sent).wrapping;
      return { state: 'open', rttMs: roundRtt(second.rttMs), detail: `OpenVPN server is there, but your config's ${describeWrapping(configured)} gets no answer: ${mismatchAdvice(configured, found)}` };
    }
    return {
      ...failureOutcome(
        second,
        what,
        `no answer to ${describeWrapping(configured)} nor to ${alternatives.length} other key settings: a wrong key, a firewall, or no OpenVPN server`,
        timeoutMs * 2,
      ),
      rttMs: null,
    };
  } finally {
    await socket.close();
  }
}

type TcpExchange =
  | { kind: 'answer'; rttMs: number }
  | { kind: 'no-answer'; why: string; connectRttMs: number }
  | { kind: 'failed'; finding: ProbeFinding };

/** One TCP connection: send the framed reset wrapped as `wrapping`, wait for a verified reply. */
async function tcpResetExchange(ctx: ProbeContext, wrapping: ControlWrapping): Promise<TcpExchange> {
  const { address, target, timeoutMs, options } = ctx;
  const tcp = await tcpConnect(address, target.port, timeoutMs, options.signal);
  if (tcp.kind === 'failed') return { kind: 'failed', finding: tcp.finding };
  const { socket } = tcp;
  const connectRttMs = tcp.rttMs;
  const { sent, packet } = resetFor(wrapping);
  return new Promise<TcpExchange>((resolve) => {
    let buffer: Buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (r: TcpExchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(r);
    };
    const onAbort = (): void => finish({ kind: 'no-answer', why: 'the probe was cancelled before an OpenVPN answer', connectRttMs });
    const timer = setTimeout(() => finish({ kind: 'no-answer', why: `no OpenVPN reset came back within ${formatSeconds(timeoutMs)}`, connectRttMs }), timeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const sentAt = performance.now();
    socket.on('data', (chunk: Buffer) => {
      const { packets, rest, broken } = deframeTcp(Buffer.concat([buffer, chunk]));
      buffer = rest;
      for (const p of packets) {
        if (parseHardResetServer(p, sent.wrapping, sent.sessionId)) return finish({ kind: 'answer', rttMs: roundRtt(performance.now() - sentAt) });
      }
      if (broken || buffer.length > 4096) finish({ kind: 'no-answer', why: 'what it sends is not OpenVPN', connectRttMs });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'no-answer', why: `the connection failed (${err.code ?? err.message}) before an OpenVPN answer`, connectRttMs }));
    socket.on('close', () => finish({ kind: 'no-answer', why: 'it closed the connection without an OpenVPN answer', connectRttMs }));
    socket.write(frameForTcp(packet));
  });
}

/**
 * OpenVPN over TCP: connect, send the framed reset, read one framed reply. On silence with a key,
 * the other key settings are tried, one connection each, in parallel.
 */
async function probeOverTcp(ctx: ProbeContext, config: OpenVpnProbeConfig | undefined): Promise<ProbeFinding> {
  const { target, options } = ctx;
  const wrapping: ControlWrapping = config?.wrapping ?? { kind: 'plain' };
  const first = await tcpResetExchange(ctx, wrapping);
  if (first.kind === 'failed') return first.finding;
  if (first.kind === 'answer') return { state: 'open', rttMs: first.rttMs, detail: `OpenVPN server answered our reset over TCP (${describeWrapping(wrapping)})` };
  const noOpenVpn = `TCP ${target.port} accepts connections but ${first.why} (${describeWrapping(wrapping)})`;
  if (wrapping.kind === 'plain') return { state: 'open', rttMs: first.connectRttMs, detail: `${noOpenVpn}: a server with tls-auth/tls-crypt (give --config), or not OpenVPN` };
  options.onProgress?.(`${ctx.label}: no answer with ${describeWrapping(wrapping)}; trying other key-direction/digest settings`);
  const alternatives = alternativeWrappings(wrapping);
  const tries = await Promise.all(alternatives.map((w) => tcpResetExchange(ctx, w)));
  const hit = tries.findIndex((t) => t.kind === 'answer');
  const answered = tries[hit];
  if (answered?.kind === 'answer') {
    const found = alternatives[hit] as ControlWrapping;
    return { state: 'open', rttMs: answered.rttMs, detail: `OpenVPN server is there (TCP), but your config's ${describeWrapping(wrapping)} gets no answer: ${mismatchAdvice(wrapping, found)}` };
  }
  return { state: 'open', rttMs: first.connectRttMs, detail: `${noOpenVpn}, nor to ${alternatives.length} other key settings: a wrong key, or not OpenVPN` };
}

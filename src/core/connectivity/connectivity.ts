// Does the network work at all, and which transports get through? "UDP blocked" and "offline" are
// different problems with different fixes, so silence from the STUN servers is read against other
// evidence: a name that resolved, or a TCP connection attempt to a server's address that was
// answered — a SYN-ACK or a RST both prove the path (docs/report-schema.md, `connectivity`).
import { connectTcp, type TcpAttempt } from '../net/tcpConnect';
import type { AnswerLog } from '../net/udpTransactions';
import type { Connectivity, NatResult } from '../report/types';

/**
 * HTTPS's port: a network that blocks UDP almost always lets it out, and a host that does not
 * listen there still answers with a RST. One SYN per server address, no data.
 */
export const TCP_PROOF_PORT = 443;
/** Room for one SYN retransmission (Linux resends after 1 s); a far host answers well within it. */
export const TCP_PROOF_TIMEOUT_MS = 1500;

export interface TcpProof {
  address: string;
  outcome: 'answered' | 'no-answer' | 'not-finished';
  rttMs: number | null;
  /** What happened, in words (for notes). */
  detail: string;
}

/** TCP attempts running beside the STUN tests; `settle()` stops those still waiting. */
export interface TcpProofs {
  settle(): Promise<TcpProof[]>;
}

/**
 * Starts one TCP attempt to port 443 of each distinct address, at once. Answers go to `log`, where
 * the STUN transactions to the same host read them (udpTransactions.ts, `Schedule.reachable`).
 */
export function startTcpProofs(addresses: readonly string[], signal: AbortSignal, log: AnswerLog): TcpProofs {
  const stop = new AbortController();
  const combined = AbortSignal.any([signal, stop.signal]);
  const attempts = [...new Set(addresses)].map(async (address): Promise<TcpProof> => {
    const attempt = await connectTcp(address, TCP_PROOF_PORT, TCP_PROOF_TIMEOUT_MS, combined, log);
    if (attempt.kind === 'connected') attempt.socket.destroy();
    return describeAttempt(address, attempt);
  });
  return {
    settle: async () => {
      stop.abort();
      return Promise.all(attempts);
    },
  };
}

function describeAttempt(address: string, attempt: TcpAttempt): TcpProof {
  const where = `TCP ${address}:${TCP_PROOF_PORT}`;
  switch (attempt.kind) {
    case 'connected':
      return { address, outcome: 'answered', rttMs: attempt.rttMs, detail: `${where} accepted a connection` };
    case 'refused':
      return { address, outcome: 'answered', rttMs: attempt.rttMs, detail: `${where} answered with a reset` };
    case 'timeout':
      return { address, outcome: 'no-answer', rttMs: null, detail: `${where} did not answer within ${TCP_PROOF_TIMEOUT_MS / 1000} s` };
    case 'unreachable':
      return { address, outcome: 'no-answer', rttMs: null, detail: `${where}: ${attempt.code}` };
    case 'error':
      return { address, outcome: 'no-answer', rttMs: null, detail: `${where}: ${attempt.code}` };
    case 'aborted':
      return { address, outcome: 'not-finished', rttMs: null, detail: `${where}: not needed once STUN answered` };
  }
}

export interface ConnectivityInputs {
  /** STUN servers given by name, and how many of those names resolved. */
  names: number;
  resolvedNames: number;
  /** Names that did not resolve, for the notes. */
  unresolved: readonly string[];
  /** Any STUN answer at all came back (even one not counted as a result). */
  udpAnswered: boolean;
  /** Some STUN request went out and was met with silence (not only send errors). */
  udpWaitedOut: boolean;
  /** Some STUN request was still waiting when the run stopped (deadline or cancel). */
  udpCutShort?: boolean;
  tcp: readonly TcpProof[];
  /** Null when not checked (quick mode, disabled, or no network). */
  captivePortal: boolean | null;
}

/** The verdict, and what the report's notes should say about it. */
export function decideConnectivity(inputs: ConnectivityInputs): { connectivity: Connectivity; notes: string[] } {
  const notes: string[] = [];
  const dns: Connectivity['dns'] = inputs.names === 0 ? 'not-needed' : inputs.resolvedNames > 0 ? 'ok' : 'failed';
  const answered = inputs.tcp.filter((t) => t.outcome === 'answered');
  const tcp: Connectivity['tcp'] =
    inputs.tcp.length === 0 ? 'not-tested' : answered.length > 0 ? 'ok' : inputs.tcp.every((t) => t.outcome === 'no-answer') ? 'blocked' : 'not-tested';
  let state: Connectivity['state'];
  // "UDP blocked" needs UDP that went out unanswered and proof that the network works; requests
  // that could not even be sent (no route) or were cut short (deadline, cancel) prove nothing
  // about UDP — then a network proven to work is just online, with UDP left undecided.
  const networkWorks = answered.length > 0 || dns === 'ok';
  if (inputs.udpAnswered) state = 'online';
  else if (networkWorks && inputs.udpWaitedOut) state = 'udp-blocked';
  else if (networkWorks && inputs.udpCutShort) state = 'online';
  else state = 'offline';

  if (state === 'udp-blocked') {
    const proof = answered[0]
      ? `${answered[0].detail} (${answered[0].rttMs} ms)`
      : 'server names resolved';
    notes.push(`the network works (${proof}) but no STUN server answered over UDP: outgoing UDP is blocked`);
  } else if (state === 'offline') {
    const tried = [
      inputs.names > 0 ? 'no server name resolved' : null,
      inputs.tcp.length > 0 ? 'no TCP connection attempt was answered' : null,
      'no STUN answer came back',
    ].filter(Boolean);
    notes.push(`this machine looks offline: ${tried.join(', ')}`);
  }
  if (dns === 'failed' && (inputs.udpAnswered || answered.length > 0)) {
    notes.push(`DNS does not work here (${inputs.unresolved.join(', ')} did not resolve), but servers given by address answered: check the DNS settings`);
  }
  return { connectivity: { state, dns, tcp, captivePortal: inputs.captivePortal }, notes };
}

/**
 * The NAT verdict in the light of connectivity: without proof that the network works, silence is
 * not "UDP blocked" — the type is unknown, and the notes say offline (docs/report-schema.md).
 */
export function applyConnectivity(nat: NatResult, connectivity: Connectivity, notes: readonly string[]): NatResult {
  const withNotes = (n: NatResult, drop?: RegExp): NatResult => {
    const kept = (n.notes ?? []).filter((note) => !drop || !drop.test(note));
    const all = [...kept, ...notes];
    const { notes: _old, ...rest } = n;
    return all.length > 0 ? { ...rest, notes: all } : rest;
  };
  if (connectivity.state === 'offline') {
    return withNotes({ ...nat, udp: 'blocked', type: 'unknown' }, /outgoing UDP looks blocked/);
  }
  if (connectivity.state === 'udp-blocked') {
    return withNotes({ ...nat, udp: 'blocked', type: 'udp-blocked' }, /outgoing UDP looks blocked|is this machine online/);
  }
  return withNotes(nat);
}

// RFC 4787 §4.2 port assignment: how the NAT picks the public port of each new mapping. It keeps
// the local port (port preservation, RFC 4787 §4.2.1), counts up by a fixed step ("sequential"),
// or picks at random (as RFC 6056 recommends for hosts).
// Where the mapping depends on the destination (symmetric NAT), only the first two let a peer
// predict the port the next mapping will get, which decides whether hole punching can work
// (src/core/p2p/pairPrediction.ts).
//
// Each sample is a fresh mapping: a brand-new socket (so an endpoint-independent NAT must allocate
// too) towards a destination no earlier sample used (so a symmetric NAT must allocate anyway). An
// RFC 5780 server offers four address/port pairs; every other server adds one more. Samples are
// taken one after another, because the order in which the NAT sees new flows is the order of
// its allocations.
import { normalizeIp } from '../net/endpoint';
import { measuredSchedule } from '../net/retransmission';
import { UdpTransactions } from '../net/udpTransactions';
import type { PortAllocation } from '../report/types';
import { mappedAddressOf } from '../stun/binding';
import { bindingRequest } from '../stun/bindingTransaction';
import type { ServerProbe } from './serverProbe';

/** One fresh mapping: the socket's local port and the public port a server saw (null: no answer). */
export interface PortSample {
  localPort: number;
  mappedPort: number | null;
}

/** Enough to tell the patterns apart on a quiet NAT, few enough to cost a handful of RTTs. */
export const MAX_PORT_SAMPLES = 8;
/** A larger step between consecutive mappings is not "counting up" (other hosts share the NAT). */
export const MAX_SEQUENTIAL_STEP = 32;

interface Destination {
  address: string;
  port: number;
  rttMs: number;
}

/** The distinct address/port pairs the answered servers offer, RFC 5780 servers' four first. */
export function sampleDestinations(probes: readonly ServerProbe[], family: 'IPv4' | 'IPv6'): Destination[] {
  const seen = new Set<string>();
  const out: Destination[] = [];
  const add = (address: string, port: number, rttMs: number): void => {
    const key = `${normalizeIp(address)}|${port}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ address, port, rttMs });
  };
  const answered = probes.filter((p) => p.mapped !== null && p.rttMs !== null && p.target.family === family);
  const ordered = [...answered.filter((p) => p.other !== null), ...answered.filter((p) => p.other === null)];
  for (const p of ordered) {
    const rtt = p.rttMs as number;
    add(p.target.address, p.target.port, rtt);
    if (p.other) {
      add(p.other.address, p.target.port, rtt);
      add(p.target.address, p.other.port, rtt);
      add(p.other.address, p.other.port, rtt);
    }
  }
  return out.slice(0, MAX_PORT_SAMPLES);
}

/**
 * Takes one fresh mapping per destination, in order, each from a new socket. Every socket is
 * closed before this returns.
 */
export async function samplePortAllocation(probes: readonly ServerProbe[], family: 'IPv4' | 'IPv6', signal: AbortSignal): Promise<PortAllocation> {
  const destinations = sampleDestinations(probes, family);
  if (destinations.length < 2) {
    return {
      pattern: 'unknown',
      delta: null,
      samples: 0,
      reason: 'needs at least two address/port pairs to send to (an RFC 5780 server offers four): the servers that answered offer fewer',
    };
  }
  const sockets: UdpTransactions[] = [];
  const samples: PortSample[] = [];
  try {
    for (const to of destinations) {
      if (signal.aborted) break;
      let socket: UdpTransactions;
      try {
        socket = await UdpTransactions.open({ family });
      } catch {
        continue; // out of sockets or ports: fewer samples, and the decision says so
      }
      sockets.push(socket);
      const outcome = await bindingRequest(socket, { address: to.address, port: to.port }, {}, measuredSchedule(to.rttMs), signal);
      const mapped = outcome.kind === 'answer' && outcome.value.kind === 'success' ? mappedAddressOf(outcome.value) : undefined;
      samples.push({ localPort: socket.localPort, mappedPort: mapped?.port ?? null });
    }
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
  }
  return decidePortAllocation(samples);
}

/** Signed difference b − a of two ports, wrapped to −32768…32767 (a counter may wrap around). */
function portStep(a: number, b: number): number {
  const d = (b - a + 65536) % 65536;
  return d >= 32768 ? d - 65536 : d;
}

/**
 * The pattern of a run of fresh mappings, in the order they were made. Pure.
 * - `preserving`: the public port equals the local port (all samples, or all but one of four or more:
 *   a preserving NAT falls back to another port when the local one is taken).
 * - `sequential`: consecutive public ports differ by small steps of one sign (all, or all but one
 *   of three or more steps: the counter wrapped, or another host took a port in between); `delta`
 *   is the most common step.
 * - `random`: anything else, from three answered samples on; `unknown` with fewer.
 */
export function decidePortAllocation(samples: readonly PortSample[]): PortAllocation {
  const answered = samples.filter((s): s is { localPort: number; mappedPort: number } => s.mappedPort !== null);
  const n = answered.length;
  const lost = samples.length - n;
  const lostNote = lost > 0 ? `; ${lost} of ${samples.length} requests went unanswered` : '';
  if (n < 2) {
    return { pattern: 'unknown', delta: null, samples: n, reason: `only ${n} of ${samples.length} fresh mappings were answered: too few to tell how ports are chosen` };
  }
  const preserved = answered.filter((s) => s.mappedPort === s.localPort).length;
  if (preserved === n || (n >= 4 && preserved === n - 1)) {
    const exception = preserved < n ? ' (one took another port, as when the local port is already taken on the NAT)' : '';
    return { pattern: 'preserving', delta: null, samples: n, reason: `${preserved} of ${n} new mappings kept their local port${exception}${lostNote}` };
  }
  const ports = answered.map((s) => s.mappedPort);
  const shown = ports.join(', ');
  if (n < 3) {
    return { pattern: 'unknown', delta: null, samples: n, reason: `only two fresh mappings were answered (ports ${shown}): three are needed to tell counting up from random${lostNote}` };
  }
  const steps = ports.slice(1).map((p, i) => portStep(ports[i] as number, p));
  if (steps.every((s) => s === 0)) {
    return { pattern: 'unknown', delta: null, samples: n, reason: `every new mapping got the same public port ${ports[0]}: the NAT shares one port among mappings${lostNote}` };
  }
  for (const sign of [1, -1]) {
    const small = steps.filter((s) => s * sign > 0 && Math.abs(s) <= MAX_SEQUENTIAL_STEP);
    const tolerated = steps.length >= 3 ? steps.length - 1 : steps.length;
    if (small.length >= tolerated) {
      const delta = mostCommon(small);
      const irregular = small.length < steps.length || small.some((s) => s !== delta) ? ' (not every step alike: a gap means another flow took a port in between)' : '';
      return { pattern: 'sequential', delta, samples: n, reason: `each new mapping took a port ${delta > 0 ? '+' : ''}${delta} from the one before (ports ${shown})${irregular}${lostNote}` };
    }
  }
  return { pattern: 'random', delta: null, samples: n, reason: `new mappings took unrelated ports (${shown})${lostNote}` };
}

/** The most frequent value; ties go to the smallest magnitude. */
function mostCommon(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || Math.abs(a[0]) - Math.abs(b[0]))[0]?.[0] as number;
}

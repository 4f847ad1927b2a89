// Path MTU towards a STUN server: the largest IP packet that reaches it whole, proven by an answer,
// and whether larger packets vanish without an ICMP "fragmentation needed" / "packet too big" (a
// PMTU black hole) — the reason VPN tunnels connect but big transfers hang.
//
// Node cannot set the don't-fragment bit, but Linux does it for us: UDP sockets default to
// IP_PMTUDISC_WANT, which sends every datagram up to the cached path MTU with DF set and fragments
// only larger ones locally. So, on a connected socket:
//   - a probe that is answered went out unfragmented when no smaller MTU was cached at the time;
//   - an ICMP "too big" lowers the cache (for 10 min) and surfaces as EMSGSIZE; `ip route get` then
//     names the new MTU, which one more probe of exactly that size proves;
//   - in a black hole nothing lowers the cache and every probe above the bottleneck vanishes.
// Probes are Binding requests grown by an attribute no server knows (comprehension-optional, so it
// is ignored: RFC 8489 §14); the answers stay small, so only the way out is measured. Sizes go out
// in parallel, largest first, so the answers to the small ones prove the silence of the large ones
// (udpTransactions.ts, `Schedule.proof`).
import { platform } from 'node:os';
import { measuredSchedule } from '../net/retransmission';
import { UdpTransactions } from '../net/udpTransactions';
import { routeMtu, type RouteMtu } from '../netinfo/uplink';
import type { PathMtu } from '../report/types';
import { bindingControls, bindingRequest } from '../stun/bindingTransaction';

/** The filler attribute: in the comprehension-optional range and registered to nobody. */
export const PROBE_FILL_ATTRIBUTE = 0xc0de;
/** IP + UDP headers: 20 + 8 for IPv4, 40 + 8 for IPv6. */
const HEADERS = { IPv4: 28, IPv6: 48 } as const;
/** A Binding request with FINGERPRINT and an empty filler: header 20 + filler TLV 4 + FINGERPRINT 8. */
const EMPTY_PROBE = 32;
/** The bottlenecks people meet (Ethernet, PPPoE, DS-Lite/MAP, VPN-in-VPN, IPv6's minimum). */
const COMMON_SIZES = [1500, 1492, 1480, 1472, 1460, 1440, 1420, 1400, 1380, 1360, 1320, 1280, 1200, 1024, 576];
/** Answers within this many bytes of the bottleneck are good enough to set a tunnel MTU. */
export const RESOLUTION_BYTES = 8;
const MAX_ROUNDS = 4;
/** Jumbo frames at most: a larger interface MTU (loopback's 64 KiB) says nothing about a tunnel path. */
const LARGEST_PROBE = 9216;

export interface PathMtuOptions {
  /** `host:port` as configured, for the report. */
  server: string;
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
  /** A measured RTT to the server: probes are paced and concluded from it. */
  rttMs: number;
  signal: AbortSignal;
  /** For tests: where the routing table is read (default `ip route get` + sysfs). */
  readRoute?: (address: string, signal: AbortSignal) => Promise<RouteMtu | null>;
}

export async function measurePathMtu(options: PathMtuOptions): Promise<PathMtu> {
  const target = options.server;
  const unmeasured = (detail: string): PathMtu => ({ target, bytes: null, blackHole: null, detail });
  if (platform() !== 'linux' && !options.readRoute) {
    return unmeasured(`not measured on ${platform()}: only Linux sends UDP with "don't fragment", so elsewhere a large packet is split up and still arrives, proving nothing`);
  }
  const readRoute = options.readRoute ?? routeMtu;
  const before = await readRoute(options.address, options.signal);
  if (!before || (before.interfaceMtu === null && before.cachedMtu === null)) {
    return unmeasured('the routing table could not be read (`ip route get`), so the packet size the system sends unfragmented is unknown');
  }
  const header = HEADERS[options.family];
  const smallest = header + EMPTY_PROBE;
  const ceiling = roundDown4(Math.min(before.cachedMtu ?? Infinity, before.interfaceMtu ?? Infinity, LARGEST_PROBE));

  const opened = await UdpTransactions.connect(options.address, options.port);
  if (!(opened instanceof UdpTransactions)) return unmeasured(`could not open a socket towards the server (${opened.kind})`);
  const socket = opened;
  try {
    /** Sends one probe of each size (largest first) and says which were answered. */
    const round = async (sizes: number[]): Promise<Map<number, boolean>> => {
      const schedule = measuredSchedule(options.rttMs, { transmissions: 3, proofTransmissions: 2 });
      const sorted = [...new Set(sizes)].sort((a, b) => b - a);
      const to = { address: options.address, port: options.port };
      const probes = Promise.all(
        sorted.map((size) =>
          bindingRequest(
            socket,
            { address: options.address, port: options.port },
            { extra: [{ type: PROBE_FILL_ATTRIBUTE, value: Buffer.alloc(size - header - EMPTY_PROBE) }] },
            schedule,
            options.signal,
          ),
        ),
      );
      // Small controls after each round prove the large probes' silence within an RTT.
      const controls = bindingControls(socket, to, schedule, options.signal);
      const outcomes = await probes;
      await controls.stop();
      return new Map(sorted.map((size, i) => [size, outcomes[i]?.kind === 'answer']));
    };

    let proven: number | null = null; // the largest size answered while it went out unfragmented
    let vanished: number | null = null; // the smallest size that vanished
    let sizes = [ceiling, ...COMMON_SIZES.filter((s) => s < ceiling && s >= smallest), smallest];
    for (let i = 0; i < MAX_ROUNDS && sizes.length > 0 && !options.signal.aborted; i++) {
      const tooBigBefore = socket.messageTooBig;
      const answered = await round(sizes);
      if (socket.messageTooBig > tooBigBefore) break; // an ICMP "too big" arrived: the kernel knows
      for (const [size, ok] of answered) {
        if (ok && (proven === null || size > proven)) proven = size;
        if (!ok && (proven === null || size > proven) && (vanished === null || size < vanished)) vanished = size;
      }
      // Nothing answered at all: one more try with small sizes only, before calling it unmeasurable.
      if (proven === null && i === 0) {
        sizes = [576, smallest].filter((s) => s <= ceiling);
        vanished = null;
        continue;
      }
      if (proven === null || vanished === null || vanished - proven <= RESOLUTION_BYTES) break;
      sizes = between(proven, vanished);
    }

    if (socket.messageTooBig > 0 && !options.signal.aborted) {
      const after = await readRoute(options.address, options.signal);
      const learnt = after?.cachedMtu ?? null;
      if (learnt !== null && learnt >= smallest) {
        const size = roundDown4(learnt);
        const confirmed = (await round([size])).get(size) === true;
        return {
          target,
          bytes: confirmed ? size : proven,
          blackHole: false,
          detail: confirmed
            ? `a router on the way sent "fragmentation needed" for larger packets (path MTU discovery works): ${size} bytes get through`
            : `a router reported a ${learnt}-byte path MTU, but a probe of that size went unanswered`,
        };
      }
    }
    if (proven === null) return unmeasured('the server did not answer even small padded requests, so no size could be proven');
    if (vanished === null) {
      const known = before.cachedMtu !== null && before.cachedMtu < (before.interfaceMtu ?? Infinity);
      return {
        target,
        bytes: proven,
        blackHole: false,
        detail: known
          ? `the system already knew this path's MTU (from an earlier "fragmentation needed"): ${proven} bytes get through`
          : `every size up to this machine's own ${proven}-byte MTU gets through`,
      };
    }
    return {
      target,
      bytes: proven,
      blackHole: true,
      detail: `packets of ${proven} bytes get through, ${vanished} bytes and more vanish without an ICMP "fragmentation needed": a path MTU black hole`,
    };
  } finally {
    await socket.close();
  }
}

/** Up to six sizes strictly between `low` and `high` (multiples of 4), closing the gap fast. */
export function between(low: number, high: number): number[] {
  const out = new Set<number>();
  const step = (high - low) / 7;
  for (let i = 1; i <= 6; i++) {
    const size = roundDown4(low + step * i);
    if (size > low && size < high) out.add(size);
  }
  if (out.size === 0 && high - low > 4) out.add(low + 4);
  return [...out];
}

/** Probe sizes are multiples of 4: STUN attributes are padded to 4 bytes (RFC 8489 §14). */
function roundDown4(n: number): number {
  return Math.floor(n / 4) * 4;
}

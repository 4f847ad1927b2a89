// The first few router hops towards an address, from the system's own traceroute (Linux, macOS),
// tracepath (Linux without traceroute) or tracert (Windows). Node cannot read ICMP time-exceeded
// without raw sockets, so we shell out — bounded in hops, wait and wall time, and absent tools
// simply give no evidence.
import { runTool, type ToolError } from '../netinfo/systemTool';
import { isIP } from 'node:net';
import { platform } from 'node:os';

export interface Hop {
  ttl: number;
  /** null when the hop did not answer. */
  address: string | null;
}

export interface TracePath {
  target: string;
  hops: Hop[];
  tool: string;
  error?: string;
}

const MAX_WALL_MS = 5000;

function commandsFor(target: string, maxHops: number, sequential: boolean): Array<[string, string[]]> {
  if (platform() === 'win32') return [['tracert', ['-d', '-h', String(maxHops), '-w', '800', target]]];
  return [
    // At most half a second per hop (a carrier's routers answer in tens of milliseconds), and less
    // once a hop has answered: "0.5,3,10" waits no longer than 3 × that hop's or 10 × a later
    // hop's RTT for a silent probe (traceroute(8) -w). A bare "-w 0.5" turns that off.
    // Routers rate-limit ICMP per destination (Linux: a burst of 6, then one a second), so probes
    // past a target that is probably near (`sequential`) are not sent at all: -N 1 stops at the
    // first hop that is the target.
    // One at a time, a silent hop costs its whole wait: towards our own public address (a hop or two
    // away when it answers at all) 0.3 s is plenty.
    ['traceroute', ['-n', '-q', '1', '-w', sequential ? '0.3,3,10' : '0.5,3,10', '-N', sequential ? '1' : String(maxHops), '-m', String(maxHops), target]],
    ['tracepath', ['-n', '-m', String(maxHops), target]],
  ];
}

/** One hop per TTL from any of the three tools' output; the first IPv4 on a hop line is the hop. */
export function parseTraceOutput(text: string): Hop[] {
  const hops = new Map<number, string | null>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d{1,2})[?:]?\s+(.*)$/.exec(line);
    if (!m) continue;
    const ttl = Number(m[1]);
    if (ttl < 1 || ttl > 30) continue;
    if (/\[LOCALHOST\]|no reply|^\s*$/i.test(m[2] ?? '')) {
      if (!hops.has(ttl)) hops.set(ttl, null);
      continue;
    }
    const address = (m[2] ?? '').split(/\s+/).find((word) => isIP(word) === 4) ?? null;
    if (!hops.has(ttl) || (hops.get(ttl) === null && address !== null)) hops.set(ttl, address);
  }
  return [...hops.entries()].sort((a, b) => a[0] - b[0]).map(([ttl, address]) => ({ ttl, address }));
}

/**
 * `sequential`: probe one hop at a time, for a target expected a hop or two away (our own public
 * address): the walk ends at the target instead of drawing ICMP from it for every TTL.
 */
export async function tracePath(target: string, maxHops: number, signal: AbortSignal, options: { sequential?: boolean } = {}): Promise<TracePath> {
  if (isIP(target) !== 4) return { target, hops: [], tool: 'none', error: 'not an IPv4 address' };
  let lastError = 'no traceroute, tracepath or tracert on this system';
  for (const [command, args] of commandsFor(target, maxHops, options.sequential ?? false)) {
    try {
      // traceroute exits non-zero when the last hop is silent; its output is still good.
      const { stdout } = await runTool(command, args, { timeoutMs: MAX_WALL_MS, maxBytes: 64 * 1024, signal, acceptFailure: true });
      return { target, hops: parseTraceOutput(stdout), tool: command };
    } catch (err) {
      const failure = err as ToolError;
      // Cut off by the wall-time bound: the hops printed so far still count.
      if (failure.code === 'ETIMEDOUT' && failure.stdout) return { target, hops: parseTraceOutput(failure.stdout), tool: command };
      lastError = failure.code === 'ENOENT' ? lastError : `${command} failed: ${failure.message.split('\n')[0]}`;
      if (signal.aborted) break;
    }
  }
  return { target, hops: [], tool: 'none', error: lastError };
}

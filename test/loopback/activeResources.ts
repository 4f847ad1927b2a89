// Counting what a run leaves behind: UDP sockets and timers still open in this process.

/** Handles a run opens: UDP sockets and timers, and with `all` its TCP sockets and child processes. */
const RUN_HANDLES = ['UDPWrap', 'Timeout'];
const ALL_RUN_HANDLES = [...RUN_HANDLES, 'TCPSocketWrap', 'TCPWrap', 'ProcessWrap'];

export function udpAndTimerCount(all = false): number {
  const kinds = all ? ALL_RUN_HANDLES : RUN_HANDLES;
  return process.getActiveResourcesInfo().filter((r) => kinds.includes(r)).length;
}

/**
 * The count once earlier work has settled. libuv releases a closed handle a few loop turns after
 * its close callback: allow a bounded number of turns (not time), then take the count.
 */
export async function settledUdpAndTimerCount(all = false): Promise<number> {
  let count = udpAndTimerCount(all);
  for (let turn = 0; turn < 20; turn++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const next = udpAndTimerCount(all);
    if (next === count && turn > 2) break;
    count = next;
  }
  return count;
}

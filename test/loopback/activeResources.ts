// Counting what a run leaves behind: UDP sockets and timers still open in this process.

export function udpAndTimerCount(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap' || r === 'Timeout').length;
}

/**
 * The count once earlier work has settled. libuv releases a closed handle a few loop turns after
 * its close callback: allow a bounded number of turns (not time), then take the count.
 */
export async function settledUdpAndTimerCount(): Promise<number> {
  let count = udpAndTimerCount();
  for (let turn = 0; turn < 20; turn++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const next = udpAndTimerCount();
    if (next === count && turn > 2) break;
    count = next;
  }
  return count;
}

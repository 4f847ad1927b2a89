// Open UDP sockets and timers of this process, for the "nothing left behind" checks.

/**
 * The count once settled: libuv releases a closed handle a few loop turns after its close
 * callback, so this allows a bounded number of turns (not time) for earlier work to settle.
 */
export async function settledUdpAndTimers(): Promise<number> {
  const count = (): number => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap' || r === 'Timeout').length;
  let last = count();
  for (let turn = 0; turn < 20; turn++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const next = count();
    if (next === last && turn > 2) break;
    last = next;
  }
  return last;
}

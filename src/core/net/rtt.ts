/** RTT rounded to 0.01 ms: enough to compare a probe with a STUN RTT, not more than a clock can say. */
export function roundRtt(ms: number): number {
  return Math.round(ms * 100) / 100;
}

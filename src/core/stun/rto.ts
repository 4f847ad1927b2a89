// Retransmission timing. Before any answer we must allow for a slow path; once a server has
// answered, its RTT tells us how long a missing answer really takes to be missing.
import type { RetransmitPolicy } from './stunSocket';

/**
 * Before an RTT is known: sends at 0, 0.2, 0.6, 1.2 and 1.8 s, give up at 2.6 s (the UDP-blocked
 * budget is 3 s). Five sends with the interval capped at 600 ms instead of four doubling ones:
 * under 10 % loss each way a false "UDP blocked" falls from 0.19⁴ ≈ 0.13 % to 0.19⁵ ≈ 0.025 %.
 */
export const INITIAL_POLICY: RetransmitPolicy = { rtoMs: 200, transmissions: 5, maxIntervalMs: 600, finalWaitRtos: 4 };

/** RTO floor: below this, scheduler jitter and a busy host decide, not the network. */
export const MIN_RTO_MS = 50;
/** RTO ceiling: a satellite path still answers within this. */
export const MAX_RTO_MS = 1000;

/**
 * The policy for a server whose RTT we measured: RTO = 3 × RTT within [50 ms, 1 s] (RFC 5389 lets
 * the RTO be derived from measurements; 3 × RTT leaves room for jitter). Four transmissions keep a
 * false "no answer" under 10 % loss near 0.1 % (0.19⁴) while a negative test costs 11 RTO.
 */
export function policyForRtt(rttMs: number): RetransmitPolicy {
  const rtoMs = Math.round(Math.min(MAX_RTO_MS, Math.max(MIN_RTO_MS, 3 * rttMs)));
  return { rtoMs, transmissions: 4, finalWaitRtos: 4 };
}

/** Wall time a transaction with this policy waits before it reports "no answer". */
export function timeoutBudgetMs(policy: RetransmitPolicy): number {
  let sentAt = 0;
  let interval = policy.rtoMs;
  for (let i = 1; i < policy.transmissions; i++) {
    sentAt += interval;
    interval = Math.min(interval * 2, policy.maxIntervalMs ?? Infinity);
  }
  return sentAt + policy.rtoMs * policy.finalWaitRtos;
}

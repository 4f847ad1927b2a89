// When to send and when to give up. Before any answer we must allow for a slow path; once a server
// has answered, its RTT says how long a missing answer really takes to be missing, and answers to
// our other requests prove silence sooner (udpTransactions.ts, `Schedule.proof`).
import type { Schedule } from './udpTransactions';

/**
 * Before an RTT is known: sends at 0, 0.1, 0.25, 0.45, 0.7, 1.2 and 1.8 s, silence at 2.6 s. Once
 * the host is proven reachable another way (a TCP answer, connectivity.ts), silence is concluded
 * 0.9 s after the first send — or after 4 of that answer's RTTs on a slower path, whichever is
 * later — so the five sends before 0.7 s are what stands between a lossy path and a false "UDP
 * blocked": under 10 % loss each way that is 0.19⁵ ≈ 0.025 %. Seven small packets to a server the
 * user chose, within two seconds, and only until it answers.
 */
export const INITIAL_SCHEDULE: Schedule = { sendAtMs: [0, 100, 250, 450, 700, 1200, 1800], silenceAtMs: 2600, reachable: { minWaitMs: 900, rtts: 4 } };

/** Pacing floor: below this, scheduler jitter and a busy host decide, not the network. */
export const MIN_INTERVAL_MS = 10;
/** Pacing ceiling: a satellite path still answers well within this. */
export const MAX_INTERVAL_MS = 250;
/** Extra wait after the last transmission, for timer lateness and a server that is a little slow. */
export const SILENCE_MARGIN_MS = 40;
/**
 * With proof, the time limit is only the fallback (controls lost, a busy machine): it can afford to
 * wait longer, so a slow answer is not mistaken for a dropped one.
 */
export const PROOF_FALLBACK_MARGIN_MS = 150;

export interface MeasuredScheduleOptions {
  /** Transmissions in all (default 4: under 10 % loss each way a lost test is 0.19⁴ ≈ 0.13 %). */
  transmissions?: number;
  /** Conclude silence once this many transmissions are proven unanswered by later answers. */
  proofTransmissions?: number;
}

/**
 * The schedule towards a server whose RTT we measured: transmissions paced 2 × RTT apart (10–250
 * ms), silence 3 × RTT + 40 ms after the last one (RFC 8489 §6.2.1 lets the RTO follow measured
 * RTTs). With `proofTransmissions`, silence is concluded as soon as that many of ours were
 * followed by answered requests to the same host, one RTT + 20 ms after the last such answer;
 * the time limit then becomes a fallback 3 × RTT + 150 ms after the last send.
 */
export function measuredSchedule(rttMs: number, options: MeasuredScheduleOptions = {}): Schedule {
  const rtt = Math.max(0, rttMs);
  const transmissions = options.transmissions ?? 4;
  const interval = Math.round(Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, 2 * rtt)));
  const sendAtMs = Array.from({ length: transmissions }, (_, i) => i * interval);
  const margin = options.proofTransmissions ? PROOF_FALLBACK_MARGIN_MS : SILENCE_MARGIN_MS;
  const silenceAtMs = (transmissions - 1) * interval + Math.round(3 * rtt) + margin;
  const schedule: Schedule = { sendAtMs, silenceAtMs };
  if (options.proofTransmissions) schedule.proof = { transmissions: options.proofTransmissions, marginMs: Math.round(rtt) + 20 };
  return schedule;
}

/** Transmissions of a schedule after `offsetMs` (e.g. a control sent just after each round). */
export function shiftSchedule(schedule: Schedule, offsetMs: number): number[] {
  return schedule.sendAtMs.map((t) => t + offsetMs);
}

/**
 * A probe of a service whose RTT we do not know (a VPN endpoint): sends at 0, 200 and 500 ms while
 * they fit the budget, silence at `budgetMs`. Three sends keep a false "no answer" under 10 % loss
 * each way below 1 % (0.19³); the budget leaves room for a far server's first answer.
 */
export function probeSchedule(budgetMs: number): Schedule {
  return { sendAtMs: [0, 200, 500].filter((t) => t === 0 || t < budgetMs - 100), silenceAtMs: budgetMs };
}

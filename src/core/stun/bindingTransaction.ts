// STUN Binding transactions over the engine's UDP transactions: a request matched by transaction id
// (and, through the engine, by the source RFC 5780 Table 1 requires), and a watch for an answer
// that another socket asked for (RESPONSE-PORT). A response carrying a comprehension-required
// attribute we do not understand is not an answer (RFC 8489 §14); the outcome says so.
import type { Schedule, TransactionOutcome, UdpTransactions } from '../net/udpTransactions';
import { decodeBindingResponse, describeAttributeTypes, encodeBindingRequest, type BindingRequestOptions, type BindingResponse } from './binding';

export type BindingOutcome = TransactionOutcome<BindingResponse>;

/**
 * Sends a Binding request to `to` on `schedule` and resolves with the first valid answer from
 * `expectFrom` (default: `to`; `null`: anywhere).
 */
export function bindingRequest(
  socket: UdpTransactions,
  to: { address: string; port: number },
  options: BindingRequestOptions,
  schedule: Schedule,
  signal: AbortSignal,
  expectFrom: { address: string; port: number } | null = to,
  maxResponseBytes?: number,
): Promise<BindingOutcome> {
  const { transactionId, packet } = encodeBindingRequest(options);
  return socket.request({ to, packet, match: matchTransaction(transactionId, maxResponseBytes), expectFrom, schedule, signal });
}

/**
 * Controls for tests whose answer may be "nothing": one plain Binding request to `to` just after
 * each transmission of `schedule`, each its own transaction, so every answer is evidence about the
 * round before it (`Schedule.proof`: a request sent later came back, so ours was dropped). Bounded
 * by the schedule; `stop()` ends those still waiting once the tests are decided.
 */
export function bindingControls(socket: UdpTransactions, to: { address: string; port: number }, schedule: Schedule, signal: AbortSignal): { stop(): Promise<void> } {
  const stopped = new AbortController();
  const combined = AbortSignal.any([signal, stopped.signal]);
  const controls = schedule.sendAtMs.map((at) =>
    bindingRequest(socket, to, {}, { sendAtMs: [at + CONTROL_OFFSET_MS], silenceAtMs: schedule.silenceAtMs + CONTROL_OFFSET_MS }, combined),
  );
  return {
    stop: async () => {
      stopped.abort();
      await Promise.all(controls);
    },
  };
}

/** A control leaves this long after its round, so it is certainly sent after the tests it vouches for. */
const CONTROL_OFFSET_MS = 1;

/** Waits `waitMs` for the answer to `transactionId`, sent by another socket (RFC 5780 §4.6). */
export function watchBindingResponse(
  socket: UdpTransactions,
  transactionId: Buffer,
  expectFrom: { address: string; port: number },
  waitMs: number,
  signal: AbortSignal,
): Promise<BindingOutcome> {
  return socket.request({
    to: expectFrom,
    packet: Buffer.alloc(0),
    match: matchTransaction(transactionId),
    schedule: { sendAtMs: [], silenceAtMs: waitMs },
    signal,
  });
}

function matchTransaction(transactionId: Buffer, maxResponseBytes?: number) {
  return (datagram: Buffer): { value: BindingResponse } | { ignore: string } | undefined => {
    const response = decodeBindingResponse(datagram, maxResponseBytes);
    if (!response || !response.transactionId.equals(transactionId)) return undefined;
    if (response.unknownAttributes) {
      return { ignore: `an answer carried comprehension-required attributes this client does not know (${describeAttributeTypes(response.unknownAttributes)}), so it was not counted (RFC 8489 §14)` };
    }
    return { value: response };
  };
}

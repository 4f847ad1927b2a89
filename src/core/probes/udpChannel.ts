// A connected UDP socket for one probe. Connecting matters: only a connected socket hears the
// ICMP errors the kernel maps to errno (Linux icmp_err_convert): port unreachable → ECONNREFUSED
// (`closed`), administratively prohibited / host or net unreachable → EHOSTUNREACH, ENETUNREACH,
// EACCES (`filtered`). Silence stays ambiguous (`open|filtered`, research PART B "Silence is
// ambiguous"). Every timer and the socket are released on every path.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';

/** Why no answer came. */
export type UdpFailure =
  | { kind: 'refused' }
  | { kind: 'unreachable'; code: string }
  | { kind: 'silence' }
  | { kind: 'aborted' }
  | { kind: 'error'; message: string };

export type UdpOutcome<T> = { kind: 'answer'; value: T; rttMs: number; attempt: number } | UdpFailure;

/** One scheduled send: at `atMs` after the exchange starts (a retransmission or a fresh packet). */
export interface ScheduledSend {
  atMs: number;
  packet: () => Buffer;
}

const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM', 'EHOSTDOWN', 'ENONET']);

/** Maps a socket error to a failure: ICMP-derived codes first, anything else as an error. */
export function classifySocketError(err: unknown): UdpFailure {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED') return { kind: 'refused' };
  if (code && UNREACHABLE_CODES.has(code)) return { kind: 'unreachable', code };
  return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
}

export class UdpChannel {
  private pendingError: UdpFailure | undefined;
  private listener: ((msg: Buffer) => void) | undefined;
  private errorListener: ((failure: UdpFailure) => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('message', (msg) => this.listener?.(msg));
    socket.on('error', (err) => {
      const failure = classifySocketError(err);
      if (this.errorListener) this.errorListener(failure);
      else this.pendingError ??= failure;
    });
  }

  /** Opens a socket connected to address:port (an IP literal). */
  static open(address: string, port: number): Promise<UdpChannel | UdpFailure> {
    const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4' });
    const channel = new UdpChannel(socket);
    return new Promise((resolve) => {
      const onError = (err: Error): void => {
        channel.close();
        resolve(classifySocketError(err));
      };
      socket.once('error', onError);
      socket.connect(port, address, () => {
        socket.off('error', onError);
        resolve(channel);
      });
    });
  }

  /** Our side of the connected socket: the address and port a NAT will translate. */
  get local(): { address: string; port: number } {
    const a = this.socket.address();
    return { address: a.address, port: a.port };
  }

  /**
   * Sends per `schedule` (times relative to now) until `accept` returns a value for a received
   * datagram, an ICMP error arrives, `deadlineMs` passes or `signal` aborts. `accept` returns the
   * index of the send it answers (for RTT: fresh packets per attempt can tell; for identical
   * retransmissions the caller answers 0, Karn-style conservative).
   */
  exchange<T>(
    schedule: ScheduledSend[],
    accept: (msg: Buffer) => { value: T; attempt: number } | undefined,
    deadlineMs: number,
    signal?: AbortSignal,
  ): Promise<UdpOutcome<T>> {
    return new Promise((resolve) => {
      const sentAt: number[] = [];
      const timers: NodeJS.Timeout[] = [];
      let settled = false;
      const finish = (outcome: UdpOutcome<T>): void => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        this.listener = undefined;
        this.errorListener = undefined;
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = (): void => finish({ kind: 'aborted' });
      if (signal?.aborted) return finish({ kind: 'aborted' });
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.pendingError) {
        const failure = this.pendingError;
        this.pendingError = undefined;
        return finish(failure);
      }
      this.errorListener = (failure) => finish(failure);
      this.listener = (msg) => {
        const arrived = performance.now();
        let accepted: { value: T; attempt: number } | undefined;
        try {
          accepted = accept(msg);
        } catch {
          accepted = undefined; // a parser bug must not take the probe down: treat as noise
        }
        if (!accepted) return;
        const sent = sentAt[accepted.attempt] ?? sentAt[0] ?? arrived;
        finish({ kind: 'answer', value: accepted.value, rttMs: arrived - sent, attempt: accepted.attempt });
      };
      schedule.forEach((step, index) => {
        if (step.atMs >= deadlineMs) return;
        const send = (): void => {
          if (settled || this.closed) return;
          let packet: Buffer;
          try {
            packet = step.packet();
          } catch (err) {
            finish({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
            return;
          }
          sentAt[index] = performance.now();
          this.socket.send(packet, (err) => {
            if (err) finish(classifySocketError(err));
          });
        };
        if (step.atMs <= 0) send();
        else timers.push(setTimeout(send, step.atMs));
      });
      timers.push(setTimeout(() => finish({ kind: 'silence' }), deadlineMs));
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

/** Send times for identical retransmissions: RFC 5389 §7.2.1 style doubling from 500 ms. */
export function retransmitTimes(deadlineMs: number, firstRtoMs = 500): number[] {
  const times = [0];
  for (let rto = firstRtoMs, t = rto; t < deadlineMs && times.length < 7; rto *= 2, t += rto) times.push(t);
  return times;
}

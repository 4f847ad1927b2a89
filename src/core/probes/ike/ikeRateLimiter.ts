// Politeness towards IKE responders: at most 3 probes per server per 30 s. strongSwan counts
// half-open IKE_SAs per source IP and demands COOKIEs from the 3rd on (`cookie_threshold_ip`,
// receiver.c), dropping at 5; a full answer leaves a half-open SA for 30 s (research §B1.4).

export class IkeRateLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    readonly limit = 3,
    readonly windowMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** How long until a probe to `server` may go out (0 = now). */
  delayFor(server: string): number {
    const stamps = this.recent(server);
    if (stamps.length < this.limit) return 0;
    return Math.max(0, (stamps[stamps.length - this.limit] as number) + this.windowMs - this.now());
  }

  /**
   * Waits for a free slot and takes it. Resolves false if `signal` aborts or the wait would end
   * after `notAfterMs` from now (the caller then reports why it did not probe).
   */
  async acquire(server: string, signal?: AbortSignal, notAfterMs = Infinity): Promise<boolean> {
    for (let guard = 0; guard < 4; guard++) {
      const delay = this.delayFor(server);
      if (delay === 0) {
        this.recent(server).push(this.now());
        return true;
      }
      if (delay > notAfterMs || signal?.aborted) return false;
      const ok = await new Promise<boolean>((resolve) => {
        const onAbort = (): void => {
          clearTimeout(timer);
          resolve(false);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        }, delay);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      if (!ok) return false;
    }
    return false;
  }

  private recent(server: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const stamps = (this.sent.get(server) ?? []).filter((t) => t > cutoff);
    this.sent.set(server, stamps);
    return stamps;
  }
}

/** The process-wide limiter used when the caller gives none. */
export const sharedIkeLimiter = new IkeRateLimiter();

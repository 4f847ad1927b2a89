// Politeness towards IKE responders: at most 3 probes per server per 30 s. strongSwan counts
// half-open IKE_SAs per source IP and demands COOKIEs from the 3rd on (`cookie_threshold_ip`,
// receiver.c), dropping at 5; a full answer leaves a half-open SA for 30 s (strongSwan's
// half_open_timeout).
// In a long-lived process (the extension host, one diagnose run) the in-memory record is enough;
// the CLI runs one probe per process, so it keeps the record in a small file (fileRateStore).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where the send times live between processes. Best effort: a store that fails forgets. */
export interface RateStore {
  load(): Record<string, number[]>;
  save(data: Record<string, number[]>): void;
}

/** A JSON file (created 0600 in a 0700 folder); unreadable or corrupt content counts as empty. */
export function fileRateStore(path: string): RateStore {
  return {
    load(): Record<string, number[]> {
      try {
        const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
        if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
        const out: Record<string, number[]> = {};
        for (const [server, stamps] of Object.entries(data as Record<string, unknown>)) {
          if (Array.isArray(stamps)) out[server] = stamps.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)).slice(-16);
        }
        return out;
      } catch {
        return {};
      }
    },
    save(data: Record<string, number[]>): void {
      try {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        // Write-then-rename, so a concurrent reader never sees half a file.
        const temp = `${path}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify(data), { mode: 0o600 });
        renameSync(temp, path);
      } catch {
        // Politeness is best effort; a read-only home must not stop a probe.
      }
    },
  };
}

export class IkeRateLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    readonly limit = 3,
    readonly windowMs = 30_000,
    private readonly now: () => number = Date.now,
    private readonly store?: RateStore,
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
        this.record(server);
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

  private record(server: string): void {
    const stamps = this.recent(server);
    stamps.push(this.now());
    if (this.store) {
      const cutoff = this.now() - this.windowMs;
      const data = this.store.load();
      data[server] = [...(data[server] ?? []).filter((t) => t > cutoff), this.now()];
      for (const [key, list] of Object.entries(data)) if (!list.some((t) => t > cutoff)) delete data[key];
      this.store.save(data);
    }
  }

  private recent(server: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const stored = this.store?.load()[server] ?? [];
    const merged = mergeStamps(this.sent.get(server) ?? [], stored).filter((t) => t > cutoff);
    this.sent.set(server, merged);
    return merged;
  }
}

/**
 * Our own sends are both in memory and in the store: keep each time as often as the list with more
 * copies has it (two probes in the same millisecond are two probes).
 */
function mergeStamps(a: number[], b: number[]): number[] {
  const counts = new Map<number, number>();
  for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1);
  const other = new Map<number, number>();
  for (const t of b) other.set(t, (other.get(t) ?? 0) + 1);
  for (const [t, n] of other) counts.set(t, Math.max(n, counts.get(t) ?? 0));
  const out: number[] = [];
  for (const [t, n] of counts) for (let i = 0; i < n; i++) out.push(t);
  return out.sort((x, y) => x - y);
}

/** Where a CLI run remembers recent IKE probes (NAT_DOCTOR_STATE_DIR overrides). */
export const STATE_DIR_ENV = 'NAT_DOCTOR_STATE_DIR';

/**
 * A limiter whose record outlives the process, for short-lived callers (one CLI run is one
 * process). The file sits in the user's own cache folder (~/.cache/nat-doctor), not in a shared
 * /tmp another user could prepare.
 */
export function persistentIkeLimiter(env: NodeJS.ProcessEnv = process.env): IkeRateLimiter {
  const dir = env[STATE_DIR_ENV] || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nat-doctor');
  return new IkeRateLimiter(3, 30_000, Date.now, fileRateStore(join(dir, 'ike-probes.json')));
}

/** The process-wide limiter used when the caller gives none. */
export const sharedIkeLimiter = new IkeRateLimiter();

// Lines of standard input, read only when a command asks for one (pair offer waits for the
// peer's answer this way). Nothing touches stdin until the first call, so commands that never
// read it leave it alone; `close()` releases it so the process can exit.
import { createInterface, type Interface } from 'node:readline';

export interface LineReader {
  /** The next line, or `undefined` at the end of input, after `timeoutMs`, or once `signal` aborts. */
  next(timeoutMs: number): Promise<string | undefined>;
  close(): void;
}

export function stdinLineReader(openInput: () => NodeJS.ReadableStream, signal: AbortSignal): LineReader {
  let input: NodeJS.ReadableStream | undefined;
  let rl: Interface | undefined;
  const queued: string[] = [];
  const waiters = new Set<(line: string | undefined) => void>();
  let ended = false;
  const deliver = (line: string | undefined): void => {
    const [waiter] = waiters;
    if (waiter) {
      waiters.delete(waiter);
      waiter(line);
    } else if (line !== undefined) {
      queued.push(line);
    }
  };
  const start = (): void => {
    if (rl) return;
    input = openInput();
    rl = createInterface({ input, terminal: false });
    rl.on('line', (line) => deliver(line));
    rl.on('close', () => {
      ended = true;
      while (waiters.size > 0) deliver(undefined);
    });
  };
  return {
    next(timeoutMs) {
      start();
      if (queued.length > 0) return Promise.resolve(queued.shift());
      if (ended || signal.aborted) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const done = (line: string | undefined): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          waiters.delete(done);
          resolve(line);
        };
        const onAbort = (): void => done(undefined);
        const timer = setTimeout(() => done(undefined), timeoutMs);
        signal.addEventListener('abort', onAbort, { once: true });
        waiters.add(done);
      });
    },
    close() {
      if (!rl) return;
      rl.close();
      // readline leaves a paused stdin referenced on some platforms: let the process exit.
      (input as NodeJS.ReadStream | undefined)?.unref?.();
    },
  };
}

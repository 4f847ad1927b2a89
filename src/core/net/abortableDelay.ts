/**
 * Resolves after `ms`, or at once when `signal` aborts; never leaves a timer behind. For waits that
 * are part of a measurement (an idle mapping, a pause between two protocols), not synchronisation.
 */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

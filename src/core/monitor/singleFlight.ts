// At most one run of a task at a time: callers that arrive while it runs share the same promise
// instead of starting a second diagnosis (two STUN runs at once would disturb each other's
// mapping measurements and double the packets).

export class SingleFlight<T> {
  private inFlight: Promise<T> | undefined;

  get running(): boolean {
    return this.inFlight !== undefined;
  }

  /** Runs `task` unless a run is already in flight, in which case it joins that one. */
  run(task: () => Promise<T>): Promise<T> {
    if (this.inFlight) return this.inFlight;
    const started = (async () => {
      try {
        return await task();
      } finally {
        this.inFlight = undefined;
      }
    })();
    this.inFlight = started;
    return started;
  }

  /** Resolves once nothing is in flight (never rejects). */
  async settled(): Promise<void> {
    while (this.inFlight) {
      await this.inFlight.then(() => undefined, () => undefined);
    }
  }
}

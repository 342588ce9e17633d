/** How busy one limit is, for `/admin/stats`. */
export interface ConcurrencyLimitSnapshot {
  limit: number;
  running: number;
  waiting: number;
}

/**
 * A counting semaphore: at most `limit` tasks run at once, the rest wait in arrival order. An
 * exposed emulator must not let one tenant start a hundred downloads or ffmpeg runs at once on a
 * small host; waiting costs a promise, running costs a socket, disk and a CPU core.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a concurrency limit must be a positive integer, got ${limit}`);
  }

  /**
   * Runs `task` once a place is free. If `signal` aborts while waiting, the task never starts and
   * the promise rejects with the signal's reason; a running task is the task's to cancel.
   */
  async run<T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  snapshot(): ConcurrencyLimitSnapshot {
    return { limit: this.limit, running: this.running, waiting: this.queue.length };
  }

  private acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.running < this.limit) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const start = () => {
        signal.removeEventListener("abort", abandon);
        // The place is handed over by `release`, which did not decrement: no window for a newcomer.
        resolve();
      };
      const abandon = () => {
        const index = this.queue.indexOf(start);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal.reason);
      };
      this.queue.push(start);
      signal.addEventListener("abort", abandon, { once: true });
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running -= 1;
  }
}

import { setMaxListeners } from "node:events";

/**
 * Owns every timer, download and ffmpeg run the emulator starts outside a request, so `close()`
 * can stop them all: tests start and stop many emulators in one process.
 */
export class Background {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  constructor() {
    // One signal for every background task: each download, ffmpeg run and task waiting for a
    // concurrency slot listens to it until it ends, hundreds at once by design (not a leak).
    setMaxListeners(0, this.controller.signal);
  }

  /** Aborted on close; pass it to fetch and child processes. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Runs `task` after `ms`; its failure is logged, never thrown (callers record failures themselves). */
  after(ms: number, task: () => Promise<void> | void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.run(task);
    }, ms);
    this.timers.add(timer);
  }

  run(task: () => Promise<void> | void): void {
    if (this.closed) return;
    const promise = (async () => task())()
      .catch((error: unknown) => {
        if (!this.closed) console.error("[emulator] background task failed", error);
      })
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  async close(): Promise<void> {
    this.controller.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}

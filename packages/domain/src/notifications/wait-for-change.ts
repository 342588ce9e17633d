import type { EventHub, EventNotice } from "./event-hub.ts";

export interface WaitForChangeOptions {
  /** Give up after this long and return the last value read. */
  timeoutMs: number;
  /** Stop early (the client went away). */
  signal?: AbortSignal | undefined;
  /** Re-read at least this often, notification or not: the safety net. Default 5000 ms. */
  safetyMs?: number;
  /**
   * The resource's events that can make `done` hold; the others wake no re-read. Default: every
   * event. A notification missed this way costs at most `safetyMs`, like a lost one.
   */
  wakeOn?: (notice: EventNotice) => boolean;
}

/**
 * Reads a row until `done` holds or time runs out, waking on the resource's events instead of
 * polling. The wait is registered before each read, so an event committed in between is not
 * missed; a notification that never comes (connection lost) costs at most `safetyMs`.
 */
export async function waitForChange<T>(
  hub: EventHub,
  resourceId: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: WaitForChangeOptions,
): Promise<{ value: T; done: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  const safetyMs = options.safetyMs ?? 5_000;
  for (;;) {
    // Each round's wait ends with the round, or with the caller's signal. Not AbortSignal.any: it
    // keeps a listener on the caller's signal per round until garbage collection, and a long wait
    // woken by many events runs many rounds (Node warns past ten).
    const stop = new AbortController();
    const forward = () => stop.abort();
    options.signal?.addEventListener("abort", forward, { once: true });
    if (options.signal?.aborted) stop.abort();
    try {
      const remaining = deadline - Date.now();
      const wake = hub.waitFor(resourceId, Math.max(0, Math.min(remaining, safetyMs)), stop.signal, options.wakeOn);
      let value: T;
      try {
        value = await read();
      } finally {
        if (remaining <= 0) stop.abort();
      }
      if (done(value)) {
        stop.abort();
        return { value, done: true };
      }
      if (remaining <= 0 || options.signal?.aborted) {
        stop.abort();
        return { value, done: false };
      }
      // "aborted" without the caller's signal means the hub closed (shutdown): answer with what we have.
      if ((await wake) === "aborted") return { value, done: false };
    } finally {
      options.signal?.removeEventListener("abort", forward);
    }
  }
}

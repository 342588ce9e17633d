import type { Redis } from "ioredis";
import { readResponseEvents, responseEventsKey, type ResponseEventEntry } from "@reelay/jobs";

/** Entries read at once; a full page means more may be waiting. */
const PAGE = 500;
/** How long a stream waits for its subscription before relying on its safety re-reads alone. */
const SUBSCRIBE_TIMEOUT_MS = 2_000;

export interface ResponseEventFollower {
  /** The entries appended since the last read (from the first one, the first time), in order. */
  read(): Promise<ResponseEventEntry[]>;
  /** Resolves once an entry may have been appended since the last read (at once if one was), or on abort. */
  changed(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface ResponseEventFeed {
  /**
   * Follows one response's event stream (packages/jobs response-events.ts). Subscribed before it
   * returns, and reads start from the first entry, so nothing appended at any time is missed.
   */
  follow(responseId: string): Promise<ResponseEventFollower>;
}

/**
 * The API's side of the worker → Redis → API relay: reads a response's Redis Stream with XRANGE on
 * the shared connection, and wakes on the PUBLISH that accompanies every append. One subscriber
 * connection serves every open stream of the process; it is opened with the first and closed with
 * the last, so an API that streams nothing holds none. A notification lost (a reconnect) only delays
 * a reader until its next safety re-read, and Redis being away only costs the live events: the end
 * comes from Postgres.
 */
export function createResponseEventFeed(deps: { redis: Redis; prefix: string; log: (message: string, error?: unknown) => void }): ResponseEventFeed {
  let subscriber: Redis | undefined;
  const followers = new Map<string, Set<{ poke: () => void }>>();
  let lastError = "";

  function connection(): Redis {
    if (subscriber) return subscriber;
    // Queue the SUBSCRIBE while connecting (the producer connection fails fast instead).
    const created = deps.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    created.on("message", (channel: string) => followers.get(channel)?.forEach((follower) => follower.poke()));
    // ioredis subscribes again by itself after a reconnect; what was published meanwhile is re-read.
    created.on("ready", () => followers.forEach((set) => set.forEach((follower) => follower.poke())));
    created.on("error", (error: Error) => {
      if (error.message !== lastError) deps.log(`response events: redis: ${(lastError = error.message)}`);
    });
    return (subscriber = created);
  }

  return {
    async follow(responseId) {
      const channel = responseEventsKey(deps.prefix, responseId);
      let afterId = "0-0";
      let dirty = false;
      let readError = "";
      let wake: (() => void) | undefined;
      const self = {
        poke: () => {
          dirty = true;
          wake?.();
        },
      };
      const sub = connection();
      const set = followers.get(channel) ?? new Set();
      followers.set(channel, set.add(self));
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([sub.subscribe(channel), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("no subscription in time")), SUBSCRIBE_TIMEOUT_MS)))]);
      } catch (error) {
        deps.log(`response ${responseId}: live events unavailable, relying on re-reads`, error);
      } finally {
        clearTimeout(timer);
      }

      return {
        async read() {
          dirty = false;
          let rows: Awaited<ReturnType<typeof readResponseEvents>>;
          try {
            rows = await readResponseEvents(deps.redis, deps.prefix, responseId, afterId, PAGE);
          } catch (error) {
            // Said once per stream and cause: the stream still ends, from Postgres.
            const message = error instanceof Error ? error.message : String(error);
            if (message !== readError) deps.log(`response ${responseId}: live events could not be read`, error);
            readError = message;
            return [];
          }
          readError = "";
          if (rows.length === PAGE) dirty = true;
          afterId = rows.at(-1)?.id ?? afterId;
          return rows.flatMap((row) => (row.entry ? [row.entry] : []));
        },
        changed(signal) {
          if (dirty || signal.aborted) return Promise.resolve();
          return new Promise<void>((resolve) => {
            const done = () => {
              wake = undefined;
              signal.removeEventListener("abort", done);
              resolve();
            };
            wake = done;
            signal.addEventListener("abort", done, { once: true });
          });
        },
        async close() {
          wake?.();
          set.delete(self);
          if (set.size > 0) return;
          followers.delete(channel);
          if (followers.size === 0 && subscriber === sub) {
            subscriber = undefined;
            sub.disconnect();
          } else {
            await sub.unsubscribe(channel).catch(() => undefined);
          }
        },
      };
    },
  };
}

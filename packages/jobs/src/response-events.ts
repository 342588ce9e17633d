import type { Redis } from "ioredis";
import { z } from "zod";
import { ResponseStreamEvent } from "@reelay/contract";

/*
 * The live events of a streamed answer, from the worker that receives them to the API process that
 * holds the caller's connection. One Redis Stream per response, `<prefix>:response-events:<id>`:
 * the worker appends (XADD) each event as it arrives, the API reads from the first entry (XRANGE
 * after the last id it saw), so whatever the timing (the API subscribing late, the worker racing
 * ahead) nothing is missed and nothing is read twice. With every append the worker also PUBLISHes
 * on the channel of the same name: the API wakes on it instead of polling, and one subscriber
 * connection serves all of a process's open streams (a blocked XREAD would hold a connection per
 * stream, and could not also be woken by Postgres when a job fails before any event).
 *
 * Postgres stays the source of truth: the final response is read from the response row, never
 * from here, so what a stream ends with is exactly what GET /responses/{id} returns.
 */

/** Entries kept per response (approximate trim); an answer is a few hundred events. */
export const RESPONSE_EVENTS_MAX_ENTRIES = 10_000;
/**
 * Life of a stream after its latest entry while the answer is open. Longer than the response job's
 * deadline (10 min), so a stream whose worker vanished still goes away.
 */
export const RESPONSE_EVENTS_OPEN_TTL_MS = 15 * 60_000;
/** Life of a stream after its `end` entry: enough for a reader that lags behind to drain it. */
export const RESPONSE_EVENTS_ENDED_TTL_MS = 5 * 60_000;

/** The Redis Stream key of a response's events, also the name of the channel that announces them. */
export function responseEventsKey(prefix: string, responseId: string): string {
  return `${prefix}:response-events:${responseId}`;
}

/**
 * What the worker appends. `run` names one asking of the platform: a re-run of the job (the
 * worker died, the stream broke) asks again under a new run, whose events restart at 0.
 */
export type ResponseEventEntry =
  /** One platform event, ids already mapped to Reelay's. */
  | { kind: "event"; run: string; event: ResponseStreamEvent }
  /** The run's stream broke off before its end: nothing more will come from this run. */
  | { kind: "interrupted"; run: string; error: { code: string; message: string } }
  /**
   * The answer is final (stored, and committed next): read the response row. `sequence` is the
   * platform's terminal event's, when this run received it (not when a re-run found the stored answer).
   */
  | { kind: "end"; run: string; sequence?: number | undefined };

const EntryData = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("event"), run: z.string(), event: ResponseStreamEvent }),
  z.object({ kind: z.literal("interrupted"), run: z.string(), error: z.object({ code: z.string(), message: z.string() }) }),
  z.object({ kind: z.literal("end"), run: z.string(), sequence: z.number().int().min(0).optional() }),
]);

/** Appends one entry, refreshes the stream's expiry and announces it, in one round trip (MULTI). */
export async function appendResponseEvent(redis: Redis, prefix: string, responseId: string, entry: ResponseEventEntry): Promise<void> {
  const key = responseEventsKey(prefix, responseId);
  const ttlMs = entry.kind === "end" ? RESPONSE_EVENTS_ENDED_TTL_MS : RESPONSE_EVENTS_OPEN_TTL_MS;
  const results = await redis
    .multi()
    .xadd(key, "MAXLEN", "~", RESPONSE_EVENTS_MAX_ENTRIES, "*", "entry", JSON.stringify(entry))
    .pexpire(key, ttlMs)
    .publish(key, "1")
    .exec();
  const failed = results?.find(([error]) => error)?.[0];
  if (!results || failed) throw failed ?? new Error("the append was discarded");
}

/** Entries after `afterId` ("0-0": from the first), oldest first, at most `count`. */
export async function readResponseEvents(redis: Redis, prefix: string, responseId: string, afterId: string, count = 500): Promise<Array<{ id: string; entry: ResponseEventEntry | undefined }>> {
  const rows = await redis.xrange(responseEventsKey(prefix, responseId), `(${afterId}`, "+", "COUNT", count);
  return rows.map(([id, fields]) => {
    const raw = fields[fields.indexOf("entry") + 1];
    let entry: ResponseEventEntry | undefined;
    try {
      const parsed = EntryData.safeParse(JSON.parse(raw ?? ""));
      entry = parsed.success ? parsed.data : undefined;
    } catch {
      // unreadable: skipped by the caller, which still moves past its id
    }
    return { id, entry };
  });
}

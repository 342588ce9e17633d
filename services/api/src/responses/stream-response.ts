import { once } from "node:events";
import type { Response as HttpResponse } from "express";
import { AppError, SSE_DONE_FRAME, SSE_KEEP_ALIVE_FRAME, sseEventFrame } from "@reelay/contract";
import type { Db, Response } from "@reelay/db";
import type { EventHub } from "@reelay/domain";
import type { ResponseEventFeed } from "./response-event-feed.ts";
import { isFinal, ResponseEventRelay, type RelayStep } from "./response-event-relay.ts";
import { answerTimeoutError } from "./wait-for-response.ts";

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** The response row is re-read at least this often, notification or not: the safety net. */
const SAFETY_MS = 5_000;

export interface StreamResponseDeps {
  prisma: Db;
  hub: EventHub;
  events: ResponseEventFeed;
  /** Before the first event: how long to wait for it (then 504). After: the longest silence (then `response.failed`). */
  responseTimeoutMs: number;
}

/**
 * POST /responses with `stream: true`: relays the platform's events as the worker receives them,
 * in the platform's SSE framing (`event:` + `data:`, ASCII, then `data: [DONE]`), woken by the
 * worker's appends (Redis) and by the response's own events (Postgres) instead of polling.
 *
 * The answer is `200 text/event-stream` from the first event on; until then a failure is an HTTP
 * error, as it would be from the platform (a platform 4xx keeps its status; 504 after
 * `responseTimeoutMs`). A caller that goes away stops only the relay: the job finishes and stores
 * the answer. See ResponseEventRelay for what each outcome looks like in the stream.
 */
export async function streamResponse(deps: StreamResponseDeps, res: HttpResponse, created: Response): Promise<void> {
  const responseId = created.id;
  const gone = new AbortController();
  res.on("close", () => gone.abort());
  const relay = new ResponseEventRelay(created);
  const follower = await deps.events.follow(responseId);
  const startedAt = Date.now();
  let lastEventAt = startedAt;
  let lastWriteAt = startedAt;

  const write = async (frame: string) => {
    if (!res.headersSent) {
      res.status(200).set({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", Connection: "keep-alive", "X-Accel-Buffering": "no" });
      res.flushHeaders();
    }
    lastWriteAt = Date.now();
    // A slow reader slows this relay (never the worker): wait for its buffer to drain.
    if (!res.write(frame) && !gone.signal.aborted) await once(res, "drain", { signal: gone.signal }).catch(() => undefined);
  };
  /** Carries out the steps; true once the stream is over. */
  const apply = async (steps: RelayStep[]): Promise<boolean> => {
    for (const step of steps) {
      if ("refuse" in step) throw step.refuse;
      if ("write" in step) {
        lastEventAt = Date.now();
        await write(sseEventFrame(step.write));
        continue;
      }
      await write(sseEventFrame(step.end));
      await write(SSE_DONE_FRAME);
      res.end();
      return true;
    }
    return false;
  };
  const drain = async (): Promise<boolean> => {
    for (;;) {
      const entries = await follower.read();
      if (entries.length === 0) return false;
      for (const entry of entries) if (await apply(relay.entry(entry))) return true;
    }
  };

  try {
    let rowDue = true;
    for (;;) {
      if (gone.signal.aborted) return;
      const now = Date.now();
      const limitAt = relay.started ? lastEventAt + deps.responseTimeoutMs : startedAt + deps.responseTimeoutMs;
      if (now >= limitAt) {
        if (!relay.started) throw answerTimeoutError(responseId, deps.responseTimeoutMs);
        await apply([relay.cut("stream_timeout", `No event of this answer came for ${Math.round(deps.responseTimeoutMs / 1000)} s.`)]);
        return;
      }
      if (relay.started && now - lastWriteAt >= HEARTBEAT_MS) await write(SSE_KEEP_ALIVE_FRAME);

      // Both wake-ups are armed before reading, so nothing appended or committed meanwhile is missed.
      const pause = new AbortController();
      let reason: Awaited<ReturnType<EventHub["waitFor"]>> | "appended";
      try {
        const waitMs = Math.min(SAFETY_MS, limitAt - now, relay.started ? lastWriteAt + HEARTBEAT_MS - now : SAFETY_MS);
        const stop = AbortSignal.any([pause.signal, gone.signal]);
        const changed = deps.hub.waitFor(responseId, Math.max(0, waitMs), stop);
        const appended = follower.changed(stop).then(() => "appended" as const);

        if (await drain()) return;
        if (rowDue || relay.finalSoon) {
          rowDue = false;
          const row = await deps.prisma.response.findUniqueOrThrow({ where: { id: responseId } });
          if (isFinal(row)) {
            // The worker appends every event before it commits: drain what came since, then end.
            if (await drain()) return;
            const end = relay.row(row);
            if (end) await apply([end]);
            return;
          }
        }
        reason = await Promise.race([changed, appended]);
      } finally {
        pause.abort();
      }
      if (gone.signal.aborted) return;
      if (reason === "aborted") {
        // The event hub closed: the API is shutting down.
        if (!relay.started) throw new AppError({ code: "response/interrupted", platformCode: "service_unavailable", status: 503, message: `The gateway is restarting; GET /v1.3/responses/${responseId} returns the answer once it is ready.` });
        await apply([relay.cut("stream_closed", "The gateway is restarting.")]);
        return;
      }
      // A change of the response, a reconnect of the hub or the safety interval: look at the row.
      if (reason !== "appended") rowDue = true;
    }
  } catch (error) {
    if (!res.headersSent) throw error;
    // Mid-stream, an error can only be told as the stream's end.
    if (!relay.ended && !gone.signal.aborted) await apply([relay.cut("stream_interrupted", "The gateway could not follow this answer.")]).catch(() => undefined);
    if (!res.writableEnded) res.end();
  } finally {
    await follower.close();
  }
}

import { randomUUID } from "node:crypto";
import { isTerminalStreamEvent } from "@reelay/contract";
import type { ResponseEventEntry } from "@reelay/jobs";
import { PlatformError } from "../platform/platform-error.ts";
import type { StepContext } from "../steps/step.ts";
import { createStreamEventMapper } from "./map-stream-events.ts";
import { createIdResolver, type AnswerScope } from "./reelay-ids.ts";
import type { ResponseEventPublisher } from "./response-event-publisher.ts";

/** A streamed answer's end: the platform's final response as it came, and where its terminal event stood. */
export interface StreamedAnswer {
  raw: Record<string, unknown>;
  /** The terminal event's sequence number, passed on in the stream's `end` entry. */
  sequence: number;
}

/**
 * Asks the platform with `stream: true` and relays each event, ids mapped to Reelay's, to the
 * response's event stream as it arrives (the API writes them to the caller). Returns the final
 * response unmapped, for the caller to store before anything else.
 *
 * `run` names this asking: a re-run of the job asks again under a new run. When the platform's
 * stream breaks off, an `interrupted` entry tells the API at once (it ends the caller's stream;
 * the job's retry asks again). A failed append (Redis away) stops the relay, never the answer.
 */
export async function streamAnswer(ctx: StepContext, events: ResponseEventPublisher, at: AnswerScope, request: Record<string, unknown>, run = randomUUID()): Promise<StreamedAnswer> {
  const resolver = createIdResolver(ctx.prisma, at);
  const mapper = createStreamEventMapper((value) => resolver.learn(value));
  let relaying = true;
  let relayed = 0;
  const append = async (entry: ResponseEventEntry) => {
    if (!relaying) return;
    relaying = await events.append(at.responseId, entry);
    if (relaying && entry.kind === "event") relayed += 1;
  };

  try {
    for await (const event of ctx.platform.streamResponse(request)) {
      if (isTerminalStreamEvent(event)) {
        for (const mapped of await mapper.flush()) await append({ kind: "event", run, event: mapped });
        const raw = event.response;
        if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
          throw new PlatformError("create response stream: the terminal event carries no response", { code: "unreadable_answer", kind: "transient" });
        }
        return { raw: raw as Record<string, unknown>, sequence: event.sequence_number };
      }
      for (const mapped of await mapper.push(event)) await append({ kind: "event", run, event: mapped });
    }
  } catch (error) {
    if (relayed > 0) {
      const reason = error instanceof PlatformError ? { code: error.code, message: error.message } : { code: "internal_error", message: "Reelay could not relay the answer." };
      await append({ kind: "interrupted", run, error: reason });
    }
    throw error;
  }
  // streamResponse returns only after a terminal event, which returned above.
  throw new PlatformError("create response stream: the stream ended before the answer did", { code: "unreadable_answer", kind: "transient" });
}

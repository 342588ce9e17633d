import { isTerminalStreamEvent, type ResponseStreamEvent } from "@reelay/contract";
import type { Response } from "@reelay/db";
import { toResponseWire } from "@reelay/domain";
import type { ResponseEventEntry } from "@reelay/jobs";
import { unansweredError } from "./wait-for-response.ts";

/** What to do next with the caller's stream. */
export type RelayStep =
  /** Write this event (answering 200 text/event-stream first, if not yet done). */
  | { write: ResponseStreamEvent }
  /** Write this terminal event, then `data: [DONE]`, and close. */
  | { end: ResponseStreamEvent }
  /** Nothing was written yet: answer this HTTP error instead of a stream. */
  | { refuse: Error };

/** Why the gateway ends a stream itself, with `response.failed`. */
export type StreamCut = "stream_interrupted" | "stream_timeout" | "stream_closed";

const open = new Set(["queued", "in_progress"]);
export const isFinal = (row: Response): boolean => !open.has(row.status);

/**
 * Decides what a streaming caller receives, from the worker's entries and the response row; pure.
 *
 * - Events of one run of the worker are written as they come, numbered as the platform numbered
 *   them. The first run that relays an event is the caller's; nothing else is spliced into it.
 * - The end always comes from the row (the truth GET /responses/{id} serves), once it is final:
 *   `response.completed` (or `response.failed`) with the stored response, numbered as the
 *   platform's terminal event was, or next after the last event written. A row that fails before
 *   any event was written is refused as an HTTP error instead, exactly like a request without
 *   `stream` (a platform 4xx keeps its status and code).
 * - A run that broke off after its events were written (an `interrupted` entry, or events of a
 *   later run: the job re-ran after a worker died) cuts the caller's stream with `response.failed`
 *   naming the response: the job asks again and GET /responses/{id} returns that answer.
 */
export class ResponseEventRelay {
  private run: string | undefined;
  private last = -1;
  private written = 0;
  private endSequence: number | undefined;
  private done = false;
  /** An `end` entry came: the row is final, or is about to be (the worker commits right after). */
  finalSoon = false;

  constructor(private readonly created: Response) {}

  get started(): boolean {
    return this.written > 0;
  }

  get ended(): boolean {
    return this.done;
  }

  entry(entry: ResponseEventEntry): RelayStep[] {
    if (this.done) return [];
    switch (entry.kind) {
      case "event": {
        // The end is the row's (see above); a terminal event in the stream is not relayed.
        if (isTerminalStreamEvent(entry.event)) return [];
        if (this.run !== entry.run) {
          if (this.written > 0) return [this.cut("stream_interrupted", "The platform's stream of this answer was interrupted (the gateway restarted its work).")];
          this.run = entry.run;
        }
        this.last = entry.event.sequence_number;
        this.written += 1;
        return [{ write: entry.event }];
      }
      case "interrupted":
        if (entry.run !== this.run || this.written === 0) return [];
        return [this.cut("stream_interrupted", `The platform's stream of this answer was interrupted: ${entry.error.message}.`)];
      case "end":
        this.finalSoon = true;
        if (entry.run === this.run) this.endSequence = entry.sequence;
        return [];
    }
  }

  /** The row, read after the stream was drained; a step only once it is final. */
  row(row: Response): RelayStep | undefined {
    if (this.done || !isFinal(row)) return undefined;
    if (this.written === 0 && !row.body) {
      this.done = true;
      return { refuse: unansweredError(row) };
    }
    this.done = true;
    const type = row.status === "failed" ? "response.failed" : "response.completed";
    return { end: { type, sequence_number: this.endSequence ?? this.last + 1, response: toResponseWire(row) } };
  }

  /** Ends the caller's stream with `response.failed`, the answer still to come from GET /responses/{id}. */
  cut(code: StreamCut, reason: string): RelayStep {
    this.done = true;
    const wire = toResponseWire(this.created);
    const message = `${reason} GET /v1.3/responses/${this.created.id} returns the answer once it is ready.`;
    return { end: { type: "response.failed", sequence_number: this.last + 1, response: { ...wire, status: "failed", error: { code, message } } } };
  }
}

import { z } from "zod";
import type { ResponseStreamEventType } from "./responses-wire.ts";

/**
 * One event of a streamed answer (SDK `ResponseStreamEvent`) as the gateway relays it: its `type`
 * and `sequence_number` (counting from 0 in one stream) checked, everything else kept as it came,
 * so an event type the platform adds later passes through untouched.
 */
export const ResponseStreamEvent = z
  .object({
    type: z.string().min(1),
    sequence_number: z.number().int().min(0),
  })
  .loose();
export type ResponseStreamEvent = z.infer<typeof ResponseStreamEvent>;

/** The events that end a stream; each carries the final `response`. */
export const terminalStreamEventTypes: ReadonlySet<string> = new Set<ResponseStreamEventType>(["response.completed", "response.failed"]);

export function isTerminalStreamEvent(event: { type: string }): boolean {
  return terminalStreamEventTypes.has(event.type);
}

/**
 * JSON safe for the official JS SDK's SSE reader, which has two quirks: it ends the stream at any
 * line that merely contains "[DONE]", and it decodes every network chunk on its own (a UTF-8
 * character split across chunks breaks). So the text is pure ASCII (everything above U+007E as a
 * `\u` escape, surrogate pairs included) and "[DONE]" inside strings is written `\u005bDONE]`.
 * Any JSON parser reads back the same value.
 */
export function sdkSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replaceAll("[DONE]", "\\u005bDONE]");
}

/** One event in the platform's SSE framing: an `event:` line naming its type, a `data:` line. */
export function sseEventFrame(event: ResponseStreamEvent): string {
  return `event: ${event.type}\ndata: ${sdkSafeJson(event)}\n\n`;
}

/** The line that ends every stream, after its terminal event. */
export const SSE_DONE_FRAME = "data: [DONE]\n\n";

/** A comment line: every SSE reader skips it; it keeps proxies from closing a quiet stream. */
export const SSE_KEEP_ALIVE_FRAME = ": keep-alive\n\n";

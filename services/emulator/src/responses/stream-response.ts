import type { Response } from "express";
import type { OutputTextPart, ResponseObject, ResponseOutputItem, ResponseStreamEventType } from "@reelay/contract";

/**
 * Replays a finished response as the platform's SSE events (SDK `ResponseStreamEvent`), each an
 * `event:` line and a `data:` line carrying the same `type` and a `sequence_number` counting from 0:
 *
 *   response.created, response.in_progress, then per output item
 *     function_call:        output_item.added, function_call_arguments.done, output_item.done
 *     function_call_output: output_item.added, output_item.done
 *     message:              output_item.added, content_part.added, output_text.delta (one per
 *                           sentence), output_text.done, content_part.done, output_item.done
 *   then response.completed (or response.failed, with no message before it), then `data: [DONE]`.
 *
 * Two quirks of the JS SDK's SSE reader shape the encoding: it ends the stream at any line that
 * merely contains "[DONE]", and it decodes every chunk separately (a UTF-8 character split across
 * chunks breaks). So data lines are pure ASCII, with "[" in "[DONE]" escaped inside strings.
 */
export function streamResponse(res: Response, response: ResponseObject): void {
  res.status(200).set({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", Connection: "keep-alive" });
  res.flushHeaders();
  let sequence = 0;
  const send = (type: ResponseStreamEventType, payload: Record<string, unknown>) => {
    res.write(`event: ${type}\ndata: ${encode({ type, sequence_number: sequence++, ...payload })}\n\n`);
  };

  // The snapshots before the end carry no usage or error yet, like the platform's.
  const { usage: _usage, error: _error, ...started } = response;
  send("response.created", { response: { ...started, status: "in_progress", output: [] } });
  send("response.in_progress", { response: { ...started, status: "in_progress", output: [] } });
  response.output.forEach((item, outputIndex) => streamItem(send, item, outputIndex));
  send(response.status === "failed" ? "response.failed" : "response.completed", { response });
  res.write("data: [DONE]\n\n");
  res.end();
}

function streamItem(send: (type: ResponseStreamEventType, payload: Record<string, unknown>) => void, item: ResponseOutputItem, outputIndex: number): void {
  switch (item.type) {
    case "function_call":
      send("response.output_item.added", { output_index: outputIndex, item: { ...item, status: "in_progress", arguments: "" } });
      send("response.function_call_arguments.done", { item_id: item.id, output_index: outputIndex, arguments: item.arguments });
      break;
    case "function_call_output":
      send("response.output_item.added", { output_index: outputIndex, item: { ...item, status: "in_progress", output: "" } });
      break;
    case "message": {
      const empty: OutputTextPart = { type: "output_text", text: "", annotations: [] };
      send("response.output_item.added", { output_index: outputIndex, item: { ...item, status: "in_progress", content: [empty] } });
      item.content.forEach((part, contentIndex) => {
        const at = { item_id: item.id, output_index: outputIndex, content_index: contentIndex };
        send("response.content_part.added", { ...at, part: empty });
        for (const delta of chunks(part.text)) send("response.output_text.delta", { ...at, delta });
        send("response.output_text.done", { ...at, text: part.text });
        send("response.content_part.done", { ...at, part });
      });
      break;
    }
  }
  send("response.output_item.done", { output_index: outputIndex, item });
}

/** Sentence-sized deltas, like a model streaming its answer. */
function chunks(text: string): string[] {
  return text.match(/[^.\n]*(?:[.\n]+|$)/g)?.filter(Boolean) ?? [text];
}

function encode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replaceAll("[DONE]", "\\u005bDONE]");
}

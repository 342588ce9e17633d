import type { ResponseObject } from "@reelay/contract";
import type { Response } from "express";

/**
 * Replays a finished response as the platform's SSE event sequence, ending with `data: [DONE]`.
 * Two quirks of the JS SDK's SSE reader shape the encoding: it ends the stream at any line that
 * merely contains "[DONE]", and it decodes every chunk separately (a UTF-8 character split across
 * chunks breaks). So data lines are pure ASCII, with "[" in "[DONE]" escaped inside strings.
 */
export function streamResponse(res: Response, response: ResponseObject): void {
  res.status(200).set({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", Connection: "keep-alive" });
  res.flushHeaders();
  let sequence = 0;
  const send = (type: string, payload: Record<string, unknown>) => {
    res.write(`event: ${type}\ndata: ${encode({ type, sequence_number: sequence++, ...payload })}\n\n`);
  };

  const { usage: _usage, ...started } = response;
  send("response.created", { response: { ...started, status: "in_progress", output: [] } });
  send("response.in_progress", { response: { ...started, status: "in_progress", output: [] } });
  response.output.forEach((item, outputIndex) => {
    if (item.type !== "message") {
      send("response.output_item.added", { output_index: outputIndex, item: { ...item, status: "in_progress" } });
      if (item.type === "function_call") send("response.function_call_arguments.done", { item_id: item.id, output_index: outputIndex, arguments: item.arguments });
      send("response.output_item.done", { output_index: outputIndex, item });
      return;
    }
    const empty = { type: "output_text", text: "", annotations: [] };
    send("response.output_item.added", { output_index: outputIndex, item: { ...item, status: "in_progress", content: [empty] } });
    (item.content ?? []).forEach((part, contentIndex) => {
      const at = { item_id: item.id, output_index: outputIndex, content_index: contentIndex };
      send("response.content_part.added", { ...at, part: empty });
      for (const delta of chunks(part.text)) send("response.output_text.delta", { ...at, delta });
      send("response.output_text.done", { ...at, text: part.text });
      send("response.content_part.done", { ...at, part });
    });
    send("response.output_item.done", { output_index: outputIndex, item });
  });
  send("response.completed", { response });
  res.write("data: [DONE]\n\n");
  res.end();
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

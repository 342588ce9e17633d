import { describe, expect, it } from "vitest";
import { createSseParser, type SseMessage } from "./sse-parser.ts";

const stream = [
  ": a comment first\n",
  "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0}\n\n",
  "event: response.output_text.delta\r\ndata: {\"delta\":\"caf\u00e9 \ud83c\udfac\"}\r\n\r\n",
  "data: first\rdata: second\r\rid: 7\nretry: 10\ndata:no-space\n\n",
  "data: [DONE]\n\n",
].join("");

const expected: SseMessage[] = [
  { event: "response.created", data: '{"type":"response.created","sequence_number":0}' },
  { event: "response.output_text.delta", data: '{"delta":"caf\u00e9 \ud83c\udfac"}' },
  { event: undefined, data: "first\nsecond" },
  { event: undefined, data: "no-space" },
  { event: undefined, data: "[DONE]" },
];

describe("the SSE parser", () => {
  it("reads events, comments, LF / CRLF / CR line endings and multi-line data", () => {
    const parser = createSseParser();
    expect(parser.push(stream)).toEqual(expected);
  });

  it("gives the same events however the text is cut, a CRLF split between pieces included", () => {
    for (const size of [1, 2, 3, 7, 13, 64]) {
      const parser = createSseParser();
      const out: SseMessage[] = [];
      for (let i = 0; i < stream.length; i += size) out.push(...parser.push(stream.slice(i, i + size)));
      expect(out, `pieces of ${size}`).toEqual(expected);
    }
  });

  it("returns an event only once its blank line has come", () => {
    const parser = createSseParser();
    expect(parser.push("data: {\"a\":1}\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ event: undefined, data: '{"a":1}' }]);
    expect(parser.push("data: cut off")).toEqual([]);
    parser.end();
    expect(parser.push("\n\n")).toEqual([]);
  });
});

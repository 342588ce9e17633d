import { describe, expect, it } from "vitest";
import { createPlatformClient } from "./platform-client.ts";

const sse = (events: Array<Record<string, unknown>>) => events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
const events = [
  { type: "response.created", sequence_number: 0, response: { id: "resp_up", status: "in_progress" } },
  { type: "response.output_text.delta", sequence_number: 1, delta: "café 🎬" },
  { type: "response.completed", sequence_number: 2, response: { id: "resp_up", status: "completed" } },
];

/** A platform answering with `chunks` as the body, sent one by one; `hang` keeps the body open after them. */
function platform(chunks: Uint8Array[], init: { status?: number; contentType?: string; hang?: boolean } = {}) {
  const requests: Array<{ url: string; body: unknown }> = [];
  const fakeFetch = (async (url: URL | string, options?: RequestInit) => {
    requests.push({ url: String(url), body: JSON.parse(String(options?.body)) });
    const signal = options?.signal;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        if (!init.hang) controller.close();
        signal?.addEventListener("abort", () => controller.error(signal.reason));
      },
    });
    return new Response(body, { status: init.status ?? 200, headers: { "content-type": init.contentType ?? "text/event-stream" } });
  }) as typeof fetch;
  return { fetch: fakeFetch, requests };
}

/** The bytes of `text`, cut every `size` bytes (a UTF-8 character may be cut too). */
const cut = (text: string, size: number) => {
  const bytes = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
};

async function collect(stream: AsyncIterable<unknown>) {
  const out: unknown[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

describe("the platform client's streamed answer", () => {
  it("asks with stream: true and yields each event, however the bytes are cut, ending at the terminal event", async () => {
    for (const size of [1, 5, 64]) {
      // Nothing after the terminal event is read: here, a [DONE] that never comes.
      const upstream = platform(cut(sse(events), size), { hang: true });
      const client = createPlatformClient({ baseUrl: "http://platform.test/v1.3", apiKey: "k", fetch: upstream.fetch, timeoutMs: 1_000 });
      expect(await collect(client.streamResponse({ knowledge_store_id: "ks_up", stream: false }))).toEqual(events);
      expect(upstream.requests).toEqual([{ url: "http://platform.test/v1.3/responses", body: { knowledge_store_id: "ks_up", stream: true } }]);
    }
  });

  it("before the stream starts, fails like any call: a 4xx is the client's, with the platform's code", async () => {
    const upstream = platform([new TextEncoder().encode(JSON.stringify({ code: "parameter_invalid", message: "bad schema" }))], { status: 400, contentType: "application/json" });
    const client = createPlatformClient({ baseUrl: "http://platform.test/v1.3", apiKey: "k", fetch: upstream.fetch });
    await expect(collect(client.streamResponse({}))).rejects.toMatchObject({ kind: "client", status: 400, code: "parameter_invalid" });
  });

  it("once started, a silent stream or one ending before its answer is a transient failure", async () => {
    const silent = platform(cut(sse(events.slice(0, 1)), 64), { hang: true });
    const quiet = createPlatformClient({ baseUrl: "http://platform.test/v1.3", apiKey: "k", fetch: silent.fetch, timeoutMs: 100 });
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const event of quiet.streamResponse({})) seen.push(event);
      })(),
    ).rejects.toMatchObject({ kind: "transient", code: "timeout", message: expect.stringContaining("silent") });
    expect(seen).toEqual(events.slice(0, 1));

    const short = platform(cut(`${sse(events.slice(0, 2))}data: [DONE]\n\n`, 64));
    const client = createPlatformClient({ baseUrl: "http://platform.test/v1.3", apiKey: "k", fetch: short.fetch });
    await expect(collect(client.streamResponse({}))).rejects.toMatchObject({ kind: "transient", code: "unreadable_answer" });
  });
});

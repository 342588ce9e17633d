import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TwelvelabsApiClient, TwelvelabsApi } from "twelvelabs-js";
import { startEmulator, type RunningEmulator } from "@reelay/emulator";
import { makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { startWorker } from "@reelay/worker";
import { killHard, pollUntil, readJson, spawnWorker, startTestStack, type Json, type TestStack } from "./support/stack.ts";
import { startStreamProxy } from "./support/stream-proxy.ts";

const mediaDir = path.resolve(".data/test-media");
/** Failed steps are retried twenty times sooner than in production. */
const fast = { STEP_RETRY_SCALE: "0.05" };
let files: FileServer;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  files = await serveFiles(mediaDir);
});
afterAll(async () => {
  await files?.close();
});

/** One platform (an emulator) behind a stream proxy, and a Reelay whose worker talks to it through the proxy. */
async function startStreamingStack(options: { startWorker?: boolean; env?: Record<string, string> } = {}) {
  const emulator = await startEmulator({ port: 0, asr: false, itemStageMs: 400, assetProcessingMs: 100 });
  const proxy = await startStreamProxy(emulator.url);
  const stack = await startTestStack({ startWorker: options.startWorker ?? true, env: { ...fast, ...options.env, TWELVELABS_BASE_URL: proxy.url } });
  return {
    emulator,
    proxy,
    stack,
    close: async () => {
      await stack.close();
      await proxy.close();
      await emulator.close();
    },
  };
}

function client(stack: TestStack, apiKey: string) {
  const headers = { "x-api-key": apiKey };
  const json = { ...headers, "content-type": "application/json" };
  return {
    get: (p: string) => readJson(fetch(`${stack.base}${p}`, { headers })),
    post: (p: string, body: unknown, signal?: AbortSignal) => fetch(`${stack.base}${p}`, { method: "POST", headers: json, body: JSON.stringify(body), ...(signal ? { signal } : {}) }),
    async asset() {
      const form = new FormData();
      form.set("method", "url");
      form.set("url", files.url("sample.mp4"));
      return readJson(fetch(`${stack.base}/assets`, { method: "POST", headers, body: form }));
    },
    /** A store with one item of the sample video, once the item has ended `ready` or `failed`. */
    async indexedStore(name: string) {
      const asset = await this.asset();
      const store = await readJson(this.post("/knowledge-stores", { name }));
      const item = await readJson(this.post(`/knowledge-stores/${store._id}/items`, { asset_id: asset._id }));
      const { last } = await pollUntil(() => this.get(`/knowledge-stores/${store._id}/items/${item._id}`), (i) => i.status === "ready" || i.status === "failed", { timeoutMs: 30_000 });
      return { asset, store, item: last };
    },
  };
}

const ask = (storeId: string, content: string, extra: Record<string, unknown> = {}) => ({ knowledge_store_id: storeId, input: [{ type: "message", role: "user", content }], stream: true, ...extra });

/** An SSE body's blocks as they arrive (each `event:` + `data:` pair, or the final `data: [DONE]`). */
async function* blocksOf(res: Response): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      const block = pending.slice(0, end);
      pending = pending.slice(end + 2);
      // Keep-alive comments are for proxies, not events.
      if (!block.startsWith(":")) yield block;
    }
  }
}

/** One block as `{event, data}`, checking the platform's framing: an `event:` line naming the `type` its `data:` line carries. */
function eventOf(block: string): Json {
  const [eventLine, dataLine, ...rest] = block.split("\n");
  expect(rest).toEqual([]);
  const data = JSON.parse(dataLine!.replace(/^data: /, ""));
  expect(eventLine).toBe(`event: ${data.type}`);
  return data;
}

async function readStream(res: Response): Promise<{ events: Json[]; blocks: string[] }> {
  const blocks: string[] = [];
  for await (const block of blocksOf(res)) blocks.push(block);
  return { blocks, events: blocks.slice(0, -1).map(eventOf) };
}

describe("POST /v1.3/responses with stream: true", () => {
  let env: Awaited<ReturnType<typeof startStreamingStack>>;
  let api: ReturnType<typeof client>;
  let apiKey: string;
  let store: Json;
  let item: Json;

  beforeAll(async () => {
    env = await startStreamingStack();
    apiKey = (await env.stack.newTenant()).apiKey;
    api = client(env.stack, apiKey);
    ({ store, item } = await api.indexedStore("streams"));
    expect(item.status).toBe("ready");
  });
  afterAll(async () => {
    await env?.close();
  });

  it("reaches the official SDK's createStream: every event type in order, numbered from 0, the deltas making the final text, Reelay's ids throughout", async () => {
    const asked = env.proxy.count("POST", "/responses");
    const sdk = new TwelvelabsApiClient({ apiKey, environment: env.stack.base });
    const stream = await sdk.responses.createStream(
      { knowledgeStoreId: store._id, input: [{ type: "message", role: "user", content: "Describe the scenes." }], include: ["intermediate_outputs"] },
      { maxRetries: 0 },
    );
    const events: TwelvelabsApi.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);

    expect(events.map((e) => e.sequenceNumber)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.type);
    const deltas = types.filter((t) => t === "response.output_text.delta").length;
    expect(deltas).toBeGreaterThan(1);
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      ...Array(deltas).fill("response.output_text.delta"),
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);

    const final = (events.at(-1) as TwelvelabsApi.ResponseStreamEvent.ResponseCompleted).response!;
    const message = final.output!.find((o) => o.type === "message")!;
    const text = message.content![0]!.text;
    const streamed = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta ?? ""] : []));
    expect(streamed.join("")).toBe(text);
    expect(message.content![0]!.annotations[0]?.itemId).toBe(item._id);

    // Reelay's ids, in the final response and in every event before it; none of the platform's.
    const row = await env.stack.prisma.response.findUniqueOrThrow({ where: { id: final.id! } });
    expect(final).toMatchObject({ status: "completed", knowledgeStoreId: store._id });
    const raw = row.rawAnswer as Json;
    const session = await env.stack.prisma.responseSession.findUniqueOrThrow({ where: { id: final.sessionId! } });
    expect(session.upstreamId).toBe(raw.session_id);
    const [upstreamItem, upstreamStore] = await Promise.all([
      env.stack.prisma.knowledgeStoreItem.findUniqueOrThrow({ where: { id: item._id } }),
      env.stack.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: store._id } }),
    ]);
    const everything = JSON.stringify(events);
    for (const upstreamId of [raw.id, raw.session_id, upstreamItem.upstreamId, upstreamStore.upstreamId]) expect(everything).not.toContain(upstreamId);
    expect(everything).toContain(item._id);
    expect(events[0]).toMatchObject({ response: { id: final.id, sessionId: final.sessionId, status: "in_progress" } });
    const args = events.find((e) => e.type === "response.function_call_arguments.done") as TwelvelabsApi.ResponseStreamEvent.ResponseFunctionCallArgumentsDone;
    expect(JSON.parse(args.arguments!)).toEqual({ item_ids: [item._id] });

    // Stored through the same transition as any answer, asked once, and served by GET afterwards.
    const got = await api.get(`/responses/${final.id}`);
    expect(got).toMatchObject({ id: final.id, status: "completed", session_id: final.sessionId, job_id: row.jobId });
    expect(got.output.find((o: Json) => o.type === "message").content[0].text).toBe(text);
    expect((await api.get(`/jobs/${row.jobId}`)).status).toBe("succeeded");
    expect(env.proxy.count("POST", "/responses") - asked).toBe(1);
  });

  it("frames each event as the platform does: event: and data: lines in ASCII, [DONE] escaped in strings, data: [DONE] last", async () => {
    const question = "Décris les scènes 🎬 [DONE]";
    const res = await api.post("/responses", ask(store._id, question));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("x-job-id")).toMatch(/^job_/);
    const body = await res.clone().text();
    expect(body).toMatch(/^[\x00-\x7f]*$/);
    expect(body.split("\n").filter((line) => line.includes("[DONE]"))).toEqual(["data: [DONE]"]);

    const { events, blocks } = await readStream(res);
    expect(blocks.at(-1)).toBe("data: [DONE]");
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.at(-1)).toMatchObject({ type: "response.completed", response: { status: "completed", knowledge_store_id: store._id } });
    const text = events.at(-1).response.output[0].content[0].text;
    expect(text).toContain(question);
    expect(events.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta).join("")).toBe(text);
    expect(res.headers.get("content-location")).toBe(`/v1.3/responses/${events.at(-1).response.id}`);
  });

  it("relays the platform's response.failed as it is: an answer the facts cannot give", async () => {
    // The emulator fails an answer it cannot produce from the indexed facts (answer-failure.ts).
    const greedy = { format: { type: "json_schema", name: "scenes", schema: { type: "object", properties: { scenes: { type: "array", minItems: 5, items: { type: "string" } } } } } } as const;
    const res = await api.post("/responses", ask(store._id, "Five scenes", { text: greedy }));
    expect(res.status).toBe(200);
    const { events, blocks } = await readStream(res);
    expect(blocks.at(-1)).toBe("data: [DONE]");
    expect(events.map((e) => [e.sequence_number, e.type])).toEqual([
      [0, "response.created"],
      [1, "response.in_progress"],
      [2, "response.failed"],
    ]);
    const failed = events[2].response;
    expect(failed).toMatchObject({ status: "failed", output: [], knowledge_store_id: store._id, error: { code: "schema_not_satisfiable", message: expect.stringContaining("$.scenes needs at least 5 entries") } });
    expect(await api.get(`/responses/${failed.id}`)).toMatchObject({ id: failed.id, status: "failed", error: failed.error });
    expect((await api.get(`/jobs/${failed.job_id}`)).status).toBe("failed");

    // The official SDK's stream ends with it too.
    const sdk = new TwelvelabsApiClient({ apiKey, environment: env.stack.base });
    const stream = await sdk.responses.createStream({ knowledgeStoreId: store._id, input: [{ type: "message", role: "user", content: "Five scenes" }], text: greedy }, { maxRetries: 0 });
    const sdkEvents: TwelvelabsApi.ResponseStreamEvent[] = [];
    for await (const event of stream) sdkEvents.push(event);
    expect(sdkEvents.map((e) => e.type)).toEqual(["response.created", "response.in_progress", "response.failed"]);
    expect(sdkEvents.at(-1)).toMatchObject({ type: "response.failed", response: { status: "failed" } });
  });

  it("answers a request the platform refuses before streaming with its HTTP error, as the platform itself would", async () => {
    // A JSON schema outside what the platform supports: the gateway passes it on, the platform says 400.
    const format = { type: "json_schema", name: "facts", schema: { type: "object", properties: { a: { anyOf: [{ type: "string" }] } } } } as const;
    const res = await api.post("/responses", ask(store._id, "JSON please", { text: { format } }));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/json/);
    expect(await readJson(res)).toMatchObject({ code: "parameter_invalid", message: expect.stringContaining("text.format.schema.properties.a.anyOf") });

    const sdk = new TwelvelabsApiClient({ apiKey, environment: env.stack.base });
    const refused = sdk.responses.createStream({ knowledgeStoreId: store._id, input: [{ type: "message", role: "user", content: "JSON please" }], text: { format } }, { maxRetries: 0 });
    await expect(refused).rejects.toBeInstanceOf(TwelvelabsApi.BadRequestError);
  });

  it("relays events as they happen: the first reaches the caller while the platform is still answering", async () => {
    const platform = env.proxy.nextStream({ hold: true });
    const res = await api.post("/responses", ask(store._id, "What happens?"));
    expect(res.status).toBe(200);
    const blocks = blocksOf(res);
    const first = eventOf((await blocks.next()).value as string);
    expect(first).toMatchObject({ type: "response.created", sequence_number: 0 });

    // The platform has sent one event; the answer is not stored, the job not finished.
    const row = await env.stack.prisma.response.findUniqueOrThrow({ where: { id: first.response.id } });
    expect(row.status).toBe("in_progress");
    expect(row.rawAnswer).toBeNull();
    expect((await env.stack.prisma.job.findUniqueOrThrow({ where: { id: row.jobId! } })).status).not.toBe("succeeded");

    platform.release();
    const rest: Json[] = [];
    for await (const block of blocks) if (block !== "data: [DONE]") rest.push(eventOf(block));
    expect(rest.map((e) => e.sequence_number)).toEqual(rest.map((_, i) => i + 1));
    expect(rest.at(-1)).toMatchObject({ type: "response.completed", response: { id: first.response.id, status: "completed" } });
  });

  it("a caller that goes away stops only the relay: the answer is still asked, stored and served", async () => {
    const platform = env.proxy.nextStream({ hold: true });
    const gone = new AbortController();
    const res = await api.post("/responses", ask(store._id, "Anything spoken?", { background: true }), gone.signal);
    // With stream, background changes nothing: the answer streams.
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const first = eventOf((await blocksOf(res).next()).value as string);
    gone.abort();
    platform.release();
    const { last } = await pollUntil(() => api.get(`/responses/${first.response.id}`), (r) => r.status !== "in_progress" && r.status !== "queued");
    expect(last).toMatchObject({ status: "completed", output: [expect.objectContaining({ type: "message" })] });
  });

  it("an answer Reelay cannot read is stored first and never asked again; the stream ends failed", async () => {
    const asked = env.proxy.count("POST", "/responses");
    env.proxy.nextStream({ rewrite: (block) => (block.startsWith("event: response.completed") ? block.replace('"output":[', '"output":"unreadable","was":[') : block) });
    const res = await api.post("/responses", ask(store._id, "Once only"));
    const { events, blocks } = await readStream(res);
    expect(blocks.at(-1)).toBe("data: [DONE]");
    const end = events.at(-1);
    expect(end).toMatchObject({ type: "response.failed", sequence_number: events.length - 1, response: { status: "failed", error: { message: expect.stringContaining("Gave up") } } });
    const row = await env.stack.prisma.response.findUniqueOrThrow({ where: { id: end.response.id } });
    expect(row.rawAnswer).toMatchObject({ output: "unreadable" });
    expect(env.proxy.count("POST", "/responses") - asked).toBe(1);
  });
});

describe("a worker killed while it relays an answer", () => {
  it("ends the caller's stream with response.failed naming the response; the re-run asks again and GET returns that answer", async () => {
    const env = await startStreamingStack({ startWorker: false, env: { WORKER_LOCK_MS: "2000" } });
    const first = spawnWorker(env.stack);
    try {
      const api = client(env.stack, (await env.stack.newTenant()).apiKey);
      const { store } = await api.indexedStore("killed");
      const platform = env.proxy.nextStream({ hold: true });
      const res = await api.post("/responses", ask(store._id, "What happens?"));
      const blocks = blocksOf(res);
      const created = eventOf((await blocks.next()).value as string);
      expect(created.type).toBe("response.created");

      await killHard(first);
      platform.release();
      const second = await startWorker(env.stack.workerConfig, () => {});
      try {
        const rest: string[] = [];
        for await (const block of blocks) rest.push(block);
        expect(rest.at(-1)).toBe("data: [DONE]");
        const cut = eventOf(rest[0]!);
        expect(rest).toHaveLength(2);
        expect(cut).toMatchObject({ type: "response.failed", sequence_number: 1, response: { id: created.response.id, status: "failed", error: { code: "stream_interrupted" } } });
        expect(cut.response.error.message).toContain(`GET /v1.3/responses/${created.response.id}`);

        const { last } = await pollUntil(() => api.get(`/responses/${created.response.id}`), (r) => r.status === "completed" || r.status === "failed");
        expect(last.status).toBe("completed");
        // The first asking never completed, so the re-run asked again: twice, and no more.
        expect(env.proxy.count("POST", "/responses")).toBe(2);
      } finally {
        await second.close();
      }
    } finally {
      await killHard(first);
      await env.close();
    }
  });
});

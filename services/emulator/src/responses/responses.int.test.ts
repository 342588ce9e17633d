import { TwelvelabsApiClient } from "twelvelabs-js";
import type { TwelvelabsApi } from "twelvelabs-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator } from "../testing/emulator-fixtures.ts";
import { validateJsonSubset } from "../testing/validate-json-subset.ts";
import { ResponseObject } from "@reelay/contract";

const ask = (content: string, extra: Record<string, unknown> = {}) => ({ input: [{ type: "message", role: "user", content }], ...extra });
const jsonSchema = (schema: Record<string, unknown>) => ({ text: { format: { type: "json_schema", name: "video_facts", schema } } });

/** The events of a raw SSE body, checking that each `event:` line names the `type` its data carries. */
function parseSse(body: string): { events: Array<Record<string, any>>; last: string } {
  const blocks = body.split("\n\n").filter(Boolean);
  const events = blocks.slice(0, -1).map((block) => {
    const [eventLine, dataLine, ...rest] = block.split("\n");
    expect(rest).toEqual([]);
    const data = JSON.parse(dataLine!.replace(/^data: /, ""));
    expect(eventLine).toBe(`event: ${data.type}`);
    return data;
  });
  return { events, last: blocks.at(-1) ?? "" };
}

describe("POST /v1.3/responses", () => {
  let emulator: RunningEmulator;
  let files: FileServer;
  let api: ReturnType<typeof rawClient>;
  let sdk: TwelvelabsApiClient;
  let storeId: string;
  let itemId: string;
  /** A store whose only item failed to index (its asset was deleted before indexing started). */
  let brokenStoreId: string;
  let failedItemId: string;
  const once = { maxRetries: 0 };

  /** The sample video as a ready asset; with `derived`, also its thumbnail and HLS stream, ready. */
  const readyAsset = async ({ derived = false } = {}) => {
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url("sample.mp4"));
    if (derived) {
      form.set("enable_thumbnail", "true");
      form.set("enable_hls", "true");
    }
    const assetId = (await api("POST", "/assets", form)).json._id as string;
    const ready = (r: Awaited<ReturnType<typeof api>>) => r.json.status === "ready" && (!derived || (r.json.thumbnail?.status === "ready" && r.json.hls?.status === "ready"));
    return (await pollUntil(() => api("GET", `/assets/${assetId}`), ready)).json;
  };
  let asset: { _id: string; thumbnail: { representative_url: string }; hls: { manifest_url: string } };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    ({ files } = await serveSampleMedia());
    api = rawClient(emulator.url);
    sdk = new TwelvelabsApiClient({ apiKey: "x", environment: emulator.url });

    storeId = (await api("POST", "/knowledge-stores", { name: "answers" })).json._id;
    asset = await readyAsset({ derived: true });
    itemId = (await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: asset._id, metadata: { reelay_id: "ksi_reelay_stamp" } })).json._id;

    brokenStoreId = (await api("POST", "/knowledge-stores", { name: "broken" })).json._id;
    const doomed = (await readyAsset())._id;
    failedItemId = (await api("POST", `/knowledge-stores/${brokenStoreId}/items`, { asset_id: doomed })).json._id;
    expect((await api("DELETE", `/assets/${doomed}?force=true`)).status).toBeLessThan(300);

    await pollUntil(() => api("GET", `/knowledge-stores/${storeId}/items/${itemId}`), (r) => r.json.status === "ready");
    await pollUntil(() => api("GET", `/knowledge-stores/${brokenStoreId}/items/${failedItemId}`), (r) => r.json.status === "failed");
  });
  afterAll(async () => {
    await emulator?.close();
    await files?.close();
  });

  it("answers with the SDK's response fields: incomplete_details null, a final_answer message, no error", async () => {
    const res = await api("POST", "/responses", ask("Describe the scenes", { knowledge_store_id: storeId }));
    expect(res.status).toBe(200);
    expect(ResponseObject.strict().parse(res.json)).toMatchObject({ status: "completed", incomplete_details: null, session_id: expect.stringMatching(/^sess_/) });
    expect(res.json).not.toHaveProperty("error");
    expect(res.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.json.output[0]).toMatchObject({ type: "message", status: "completed", role: "assistant", phase: "final_answer" });
  });

  it("when the store has no indexed videos > answers 200 saying so truthfully", async () => {
    const empty = (await api("POST", "/knowledge-stores", { name: "empty" })).json._id;
    const res = await api("POST", "/responses", ask("What is in it?", { knowledge_store_id: empty }));
    expect(res.status).toBe(200);
    const part = res.json.output[0].content[0];
    expect(part.text).toBe('The knowledge store "empty" has no indexed videos yet, so there is nothing to answer your question from: "What is in it?".');
    expect(part.annotations).toEqual([]);
  });

  it("is deterministic: the same question gets the same text and citations", async () => {
    const a = await api("POST", "/responses", ask("Describe the scenes", { knowledge_store_id: storeId }));
    const b = await api("POST", "/responses", ask("Describe the scenes", { knowledge_store_id: storeId }));
    expect(a.json.output[0].content).toEqual(b.json.output[0].content);
    expect(a.json.output[0].content[0].text).toContain("3 scenes: 0.0-3.0 s [2], 3.0-6.0 s [3] and 6.0-9.0 s [4]");
  });

  it("places each citation on its [n] marker, in code points with an inclusive end, linking the asset's thumbnail and HLS stream", async () => {
    const res = await api("POST", "/responses", ask("Où est l'écran bleu 💙🎬? Décris les scènes", { knowledge_store_id: storeId }));
    const { text, annotations } = res.json.output[0].content[0];
    const points = [...text];
    expect(annotations.length).toBeGreaterThanOrEqual(4);
    annotations.forEach((a: Record<string, unknown>, i: number) => {
      expect(points.slice(a.start_index as number, (a.end_index as number) + 1).join("")).toBe(`[${i + 1}]`);
      expect(a).toMatchObject({ type: "video_citation", item_id: itemId, title: "sample.mp4", thumbnail_url: asset.thumbnail.representative_url, hls_url: asset.hls.manifest_url });
    });
    expect(annotations[2]).toMatchObject({ start_sec: 3, end_sec: 6 });
  });

  it("keeps item metadata (such as Reelay's reelay_id stamp) out of the answer", async () => {
    const res = await api("POST", "/responses", ask("Tell me everything", { knowledge_store_id: storeId }));
    expect(res.json.output[0].content[0].text).not.toMatch(/reelay_id|ksi_reelay_stamp/);
  });

  it("accepts the April shape (model jockey1.0) and the VCS tools selector", async () => {
    expect((await api("POST", "/responses", ask("hi", { knowledge_store_id: storeId, model: "jockey1.0" }))).status).toBe(200);
    const viaTools = await api("POST", "/responses", ask("hi", { tools: [{ type: "knowledge_store", knowledge_store_id: storeId }] }));
    expect(viaTools.json.knowledge_store_id).toBe(storeId);
  });

  it("continues a session: same session_id, next message number; a session of another store is 400", async () => {
    const first = await api("POST", "/responses", ask("first", { knowledge_store_id: storeId }));
    const session = first.json.session_id;
    expect(first.json.output[0].id).toBe(`msg_${session}_0`);
    const second = await api("POST", "/responses", ask("second", { knowledge_store_id: storeId, session_id: session }));
    expect(second.json.session_id).toBe(session);
    expect(second.json.output[0].id).toBe(`msg_${session}_1`);

    const other = (await api("POST", "/knowledge-stores", { name: "other" })).json._id;
    const mismatch = await api("POST", "/responses", ask("third", { knowledge_store_id: other, session_id: session }));
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.code).toBe("parameter_invalid");
    expect((await api("POST", "/responses", ask("x", { knowledge_store_id: storeId, session_id: "sess_unknown" }))).status).toBe(404);
  });

  it("adds the facts it read as function call items when intermediate outputs are asked for", async () => {
    const res = await api("POST", "/responses", ask("scenes?", { knowledge_store_id: storeId, include: ["intermediate_outputs"] }));
    expect(res.json.output.map((o: { type: string }) => o.type)).toEqual(["function_call", "function_call_output", "message"]);
    expect(JSON.parse(res.json.output[1].output)[0]).toMatchObject({ item_id: itemId, extraction: { sceneChanges: [3, 6] } });
  });

  it("when input is bad > answers 400 with the platform code", async () => {
    const noStore = await api("POST", "/responses", ask("hi"));
    expect(noStore.json).toEqual({ code: "parameter_not_provided", message: "The knowledge_store_id parameter is required." });
    const noInput = await api("POST", "/responses", { knowledge_store_id: storeId });
    expect(noInput.json.code).toBe("parameter_not_provided");
    const wrongRole = await api("POST", "/responses", { knowledge_store_id: storeId, input: [{ type: "message", role: "system", content: "x" }] });
    expect(wrongRole.status).toBe(400);
    expect((await api("POST", "/responses", ask("hi", { knowledge_store_id: storeId, model: "gpt-9" }))).status).toBe(400);
  });

  it("when the store does not exist > answers 404", async () => {
    const res = await api("POST", "/responses", ask("hi", { knowledge_store_id: "ks_01900000-0000-7000-8000-000000000000" }));
    expect(res.status).toBe(404);
    expect(res.json.code).toBe("resource_not_exist");
  });

  it("narrows to selected items or a collection's members; an item of another store or a misprefixed id is 400, an unknown collection 404", async () => {
    const selected = await api("POST", "/responses", ask("{{sel:0}}?", { knowledge_store_id: storeId, selections: [{ kind: "item", id: itemId }] }));
    expect(selected.json.output[0].content[0].annotations[0].item_id).toBe(itemId);
    const wrong = await api("POST", "/responses", ask("x", { knowledge_store_id: storeId, selections: [{ kind: "item", id: "ksi_nope" }] }));
    expect(wrong).toMatchObject({ status: 400, json: { code: "parameter_invalid" } });
    const misprefixed = await api("POST", "/responses", ask("x", { knowledge_store_id: storeId, selections: [{ kind: "item", id: "ksic_1" }] }));
    expect(misprefixed.json.message).toContain("item ids start with ksi_");
    const unknown = await api("POST", "/responses", ask("x", { knowledge_store_id: storeId, selections: [{ kind: "collection", id: "ksic_1" }] }));
    expect(unknown).toMatchObject({ status: 404, json: { code: "resource_not_exist" } });
    const created = await api("POST", `/knowledge-stores/${storeId}/item-collections`, { name: `picked-${Date.now()}` });
    expect(created.status).toBe(201);
    expect((await api("POST", `/knowledge-stores/${storeId}/item-collections/${created.json._id}/items/add`, { item_ids: [itemId] })).status).toBe(200);
    const viaCollection = await api("POST", "/responses", ask("{{sel:0}}?", { knowledge_store_id: storeId, selections: [{ kind: "collection", id: created.json._id }] }));
    expect(viaCollection.json.output[0].content[0].annotations[0].item_id).toBe(itemId);
  });

  describe("when stream is true", () => {
    it("emits the SDK's typed events in order, numbered from 0, in ASCII, then data: [DONE]", async () => {
      const res = await api("POST", "/responses", ask("Décris les scènes 🎬 [DONE]", { knowledge_store_id: storeId, stream: true }));
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(res.text).toMatch(/^[\x00-\x7f]*$/);
      const { events, last } = parseSse(res.text);
      expect(last).toBe("data: [DONE]");
      expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
      const types = events.map((e) => e.type);
      const deltas = types.filter((t) => t === "response.output_text.delta").length;
      expect(deltas).toBeGreaterThan(1);
      expect(types).toEqual([
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        ...Array(deltas).fill("response.output_text.delta"),
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
      ]);

      const [created, , added, partAdded] = events;
      expect(created!.response).toMatchObject({ status: "in_progress", incomplete_details: null, output: [] });
      expect(created!.response).not.toHaveProperty("usage");
      expect(added).toMatchObject({ output_index: 0, item: { type: "message", status: "in_progress", phase: "final_answer", content: [{ type: "output_text", text: "", annotations: [] }] } });
      const at = { item_id: added!.item.id, output_index: 0, content_index: 0 };
      expect(partAdded).toMatchObject({ ...at, part: { type: "output_text", text: "", annotations: [] } });
      const completed = events.at(-1)!.response;
      const part = completed.output[0].content[0];
      expect(events.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta).join("")).toBe(part.text);
      expect(events.find((e) => e.type === "response.output_text.done")).toMatchObject({ ...at, text: part.text });
      expect(events.find((e) => e.type === "response.content_part.done")).toMatchObject({ ...at, part });
      expect(part.text).toContain("Décris les scènes 🎬 [DONE]");
      expect(ResponseObject.strict().parse(completed).status).toBe("completed");
    });

    it("streams function call items through the official SDK when intermediate outputs are asked for", async () => {
      const stream = await sdk.responses.createStream({ knowledgeStoreId: storeId, input: [{ type: "message", role: "user", content: "scenes?" }], include: ["intermediate_outputs"] }, once);
      const events: TwelvelabsApi.ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      expect(events.map((e) => e.type).filter((t) => t !== "response.output_text.delta")).toEqual([
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.output_item.done",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
      ]);
      const args = events.find((e) => e.type === "response.function_call_arguments.done");
      expect(args).toMatchObject({ outputIndex: 0, arguments: JSON.stringify({ item_ids: [itemId] }) });
      const final = events.at(-1) as TwelvelabsApi.ResponseStreamEvent.ResponseCompleted;
      expect(final.response?.output?.map((o) => o.type)).toEqual(["function_call", "function_call_output", "message"]);
    });
  });

  describe("when every item to answer from failed to index", () => {
    it("answers 200 with a failed response giving the reason, and no message", async () => {
      const res = await api("POST", "/responses", ask("What is in it?", { knowledge_store_id: brokenStoreId }));
      expect(res.status).toBe(200);
      expect(ResponseObject.strict().parse(res.json)).toMatchObject({
        status: "failed",
        incomplete_details: null,
        error: { code: "no_indexed_items", message: expect.stringContaining(`${failedItemId}: the asset was deleted before the item could be indexed`) },
        output: [],
        usage: { output_tokens: 0 },
      });
    });

    it("streams response.created, response.in_progress, response.failed, then data: [DONE]", async () => {
      const res = await api("POST", "/responses", ask("What is in it?", { knowledge_store_id: brokenStoreId, stream: true }));
      const { events, last } = parseSse(res.text);
      expect(events.map((e) => [e.sequence_number, e.type])).toEqual([
        [0, "response.created"],
        [1, "response.in_progress"],
        [2, "response.failed"],
      ]);
      expect(events[2]!.response).toMatchObject({ status: "failed", error: { code: "no_indexed_items" }, output: [] });
      expect(last).toBe("data: [DONE]");
    });

    it("ends the official SDK's stream with a response.failed event", async () => {
      const stream = await sdk.responses.createStream({ knowledgeStoreId: brokenStoreId, input: [{ type: "message", role: "user", content: "What is in it?" }] }, once);
      const events: TwelvelabsApi.ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      const last = events.at(-1) as TwelvelabsApi.ResponseStreamEvent.ResponseFailed;
      expect(last.type).toBe("response.failed");
      expect(last.response?.status).toBe("failed");
    });
  });

  describe("with text.format json_schema", () => {
    const schema = {
      type: "object",
      properties: {
        filename: { type: "string", description: "The video's file name" },
        duration_seconds: { type: "number", minimum: 0 },
        summary: { type: "string" },
        media_type: { type: "string", enum: ["image", "video"] },
        scenes: {
          type: "array",
          minItems: 1,
          maxItems: 10,
          items: { type: "object", properties: { start: { type: "number" }, end: { type: "number" }, description: { type: "string" } }, required: ["start", "end"] },
        },
      },
      required: ["filename", "duration_seconds", "scenes"],
      additionalProperties: false,
    };

    it("answers JSON text built from the measured facts that validates against the schema", async () => {
      const res = await api("POST", "/responses", ask("Give me the scenes as JSON", { knowledge_store_id: storeId, ...jsonSchema(schema) }));
      expect(res.json.status).toBe("completed");
      const part = res.json.output[0].content[0];
      expect(part.annotations).toEqual([]);
      const value = JSON.parse(part.text);
      expect(validateJsonSubset(value, schema)).toEqual([]);
      expect(value).toMatchObject({
        filename: "sample.mp4",
        duration_seconds: 9,
        media_type: "video",
        scenes: [
          { start: 0, end: 3 },
          { start: 3, end: 6 },
          { start: 6, end: 9 },
        ],
      });
    });

    it("streams the same JSON through the official SDK", async () => {
      const stream = await sdk.responses.createStream(
        { knowledgeStoreId: storeId, input: [{ type: "message", role: "user", content: "JSON please" }], text: { format: { type: "json_schema", name: "video_facts", schema } } },
        once,
      );
      let deltas = "";
      for await (const event of stream) if (event.type === "response.output_text.delta") deltas += event.delta ?? "";
      expect(validateJsonSubset(JSON.parse(deltas), schema)).toEqual([]);
    });

    it("when the schema demands more than the facts hold > answers a failed response instead of inventing data", async () => {
      const greedy = { type: "object", properties: { scenes: { type: "array", minItems: 5, items: { type: "string" } } } };
      const res = await api("POST", "/responses", ask("five scenes", { knowledge_store_id: storeId, ...jsonSchema(greedy) }));
      expect(res.json).toMatchObject({ status: "failed", error: { code: "schema_not_satisfiable", message: expect.stringContaining("$.scenes needs at least 5 entries") }, output: [] });
    });

    it("when the schema is outside the supported subset or the format is malformed > answers 400 parameter_invalid", async () => {
      const anyOf = await api("POST", "/responses", ask("hi", { knowledge_store_id: storeId, ...jsonSchema({ type: "object", properties: { a: { anyOf: [{ type: "string" }] } } }) }));
      expect(anyOf).toMatchObject({ status: 400, json: { code: "parameter_invalid", message: expect.stringContaining("text.format.schema.properties.a.anyOf") } });
      const noName = await api("POST", "/responses", ask("hi", { knowledge_store_id: storeId, text: { format: { type: "json_schema", schema } } }));
      expect(noName).toMatchObject({ status: 400, json: { code: "parameter_invalid", message: expect.stringContaining("text.format.name") } });
    });
  });
});

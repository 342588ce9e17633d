import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator } from "../testing/emulator-fixtures.ts";

const ask = (content: string, extra: Record<string, unknown> = {}) => ({ input: [{ type: "message", role: "user", content }], ...extra });

describe("POST /v1.3/responses", () => {
  let emulator: RunningEmulator;
  let files: FileServer;
  let api: ReturnType<typeof rawClient>;
  let storeId: string;
  let itemId: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    ({ files } = await serveSampleMedia());
    api = rawClient(emulator.url);
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url("sample.mp4"));
    const assetId = (await api("POST", "/assets", form)).json._id;
    await pollUntil(() => api("GET", `/assets/${assetId}`), (r) => r.json.status === "ready");
    storeId = (await api("POST", "/knowledge-stores", { name: "answers" })).json._id;
    itemId = (await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: assetId })).json._id;
    await pollUntil(() => api("GET", `/knowledge-stores/${storeId}/items/${itemId}`), (r) => r.json.status === "ready");
  });
  afterAll(async () => {
    await emulator?.close();
    await files?.close();
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
    expect(a.json.output[0].content[0].text).toContain("3 scenes: 0.0-3.0 s, 3.0-6.0 s and 6.0-9.0 s");
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
    const schema = await api("POST", "/responses", ask("hi", { knowledge_store_id: storeId, text: { format: { type: "json_schema", name: "x", schema: {} } } }));
    expect(schema).toMatchObject({ status: 400, json: { code: "parameter_invalid", message: expect.stringContaining("json_schema") } });
  });

  it("when the store does not exist > answers 404", async () => {
    const res = await api("POST", "/responses", ask("hi", { knowledge_store_id: "ks_01900000-0000-7000-8000-000000000000" }));
    expect(res.status).toBe(404);
    expect(res.json.code).toBe("resource_not_exist");
  });

  it("narrows to selected items; an item of another store is 400", async () => {
    const selected = await api("POST", "/responses", ask("{{sel:0}}?", { knowledge_store_id: storeId, selections: [{ kind: "item", id: itemId }] }));
    expect(selected.json.output[0].content[0].annotations[0].item_id).toBe(itemId);
    const wrong = await api("POST", "/responses", ask("x", { knowledge_store_id: storeId, selections: [{ kind: "item", id: "ksi_nope" }] }));
    expect(wrong.status).toBe(400);
  });
});

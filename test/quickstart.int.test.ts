import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TwelvelabsApiClient } from "twelvelabs-js";
import { eventCatalog, isEventType } from "@reelay/contract";
import { makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { pollUntil, readJson, startTestStack, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
let stack: TestStack;
let files: FileServer;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  files = await serveFiles(mediaDir);
  // Stages long enough that the worker (polling every 200 ms after a change) sees each one
  // even on a loaded machine; the test asserts that every stage is visible to clients.
  stack = await startTestStack({ itemStageMs: 1_200 });
});

afterAll(async () => {
  await stack?.close();
  await files?.close();
});

describe("the quickstart flow through Reelay", () => {
  it("takes a URL asset to an answered question: asset ready, item through every stage, cited answer", async () => {
    const { apiKey, tenantId } = await stack.newTenant();
    const headers = { "x-api-key": apiKey };
    const json = { ...headers, "content-type": "application/json" };

    // 1. asset from a URL, as multipart/form-data
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url("sample.mp4"));
    const created = await fetch(`${stack.base}/assets`, { method: "POST", headers, body: form });
    expect(created.status).toBe(201);
    const asset = await readJson(created);
    expect(asset).toMatchObject({ method: "url", status: "processing", filename: "sample.mp4" });
    expect(asset._id).toMatch(/^[0-9a-f]{24}$/);

    // 2. a store with the quickstart's (untagged, April-contract) enrichment config
    const storeRes = await fetch(`${stack.base}/knowledge-stores`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ name: "quickstart", description: "demo", ingestion_config: { enrichment_config: { description: "Who speaks and what is shown" } } }),
    });
    expect(storeRes.status).toBe(201);
    const store = await readJson(storeRes);
    expect(store._id).toMatch(/^ks_/);
    expect(store.ingestion_config).toEqual({ enrichment_config: { type: "description", description: "Who speaks and what is shown" } });

    // 3. the item is accepted while the asset is still processing; the worker waits for it
    const itemRes = await fetch(`${stack.base}/knowledge-stores/${store._id}/items`, { method: "POST", headers: json, body: JSON.stringify({ asset_id: asset._id }) });
    expect(itemRes.status).toBe(202);
    const item = await readJson(itemRes);
    expect(item).toMatchObject({ asset_id: asset._id, status: "queued", asset_type: "video" });

    const { last: indexed, seen } = await pollUntil(
      async () => await readJson(await fetch(`${stack.base}/knowledge-stores/${store._id}/items/${item._id}`, { headers })),
      (it) => it.status === "ready" || it.status === "failed",
      { key: (it) => it.status },
    );
    expect(indexed.status).toBe("ready");
    expect(seen).toEqual(["queued", "pending", "processing", "ready"]);
    expect(indexed.system_metadata).toMatchObject({ asset_type: "video", width: 320, height: 240 });

    const readyAsset = await await readJson(await fetch(`${stack.base}/assets/${asset._id}`, { headers }));
    expect(readyAsset.status).toBe("ready");
    expect(readyAsset.duration).toBeCloseTo(9, 0);
    expect(readyAsset.technical_metadata).toMatchObject({ video_width: 320, video_height: 240, has_audio: true });

    // 4. a question, answered by the worker through the platform
    const answerRes = await fetch(`${stack.base}/responses`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ knowledge_store_id: store._id, model: "jockey1.0", input: [{ type: "message", role: "user", content: "What happens in the video?" }] }),
    });
    expect(answerRes.status).toBe(200);
    const answer = await readJson(answerRes);
    expect(answer).toMatchObject({ id: expect.stringMatching(/^resp_/), status: "completed", knowledge_store_id: store._id });
    const message = answer.output.find((o: { type: string }) => o.type === "message");
    const text = message.content[0];
    expect(text.type).toBe("output_text");
    expect(text.text).toContain("9.0 s");
    expect(text.text).toMatch(/scene/i);
    const citation = text.annotations.find((a: { type: string }) => a.type === "video_citation");
    // Upstream ids are mapped back: the citation names Reelay's item id.
    expect(citation).toMatchObject({ item_id: item._id });
    expect(citation.end_sec).toBeGreaterThan(citation.start_sec);

    // Every asynchronous operation has a finished job row, and the outbox saw every transition.
    // The store's watcher, which followed the item on the platform, ends once nothing is left to watch.
    await expect
      .poll(async () => (await stack.prisma.job.findMany({ where: { tenantId } })).map((j) => `${j.type}:${j.status}`).sort(), { timeout: 10_000 })
      .toEqual(["asset.ingest:succeeded", "item.index:succeeded", "knowledge_store.create:succeeded", "knowledge_store.watch_items:succeeded", "response.create:succeeded"]);
    const events = await stack.prisma.event.findMany({ where: { tenantId }, orderBy: [{ resourceId: "asc" }, { sequence: "asc" }] });
    const byResource = (id: string) => events.filter((e) => e.resourceId === id).map((e) => e.type);
    expect(byResource(asset._id)).toEqual(["asset.created", "asset.ready"]);
    expect(byResource(store._id)).toEqual(["knowledge_store.created", "knowledge_store.synced"]);
    expect(byResource(item._id)).toEqual(["knowledge_store_item.created", "knowledge_store_item.pending", "knowledge_store_item.processing", "knowledge_store_item.ready"]);
    expect(byResource(answer.id)).toEqual(["response.created", "response.in_progress", "response.completed"]);
    for (const event of events) {
      // Sequences count 1, 2, 3… per resource, and every payload matches the event catalog.
      expect(event.sequence).toBe(events.filter((e) => e.resourceId === event.resourceId).indexOf(event) + 1);
      expect(isEventType(event.type) && eventCatalog[event.type].data.safeParse(event.data).success, event.type).toBe(true);
    }
    expect(byResource(item.job_id)).toEqual(expect.arrayContaining(["job.created", "job.running", "job.waiting_remote", "job.succeeded"]));
  });

  it("works unchanged from the official SDK pointed at Reelay", async () => {
    const { apiKey } = await stack.newTenant();
    const client = new TwelvelabsApiClient({ apiKey, environment: stack.base });
    const asset = await client.assets.create({ method: "url", url: files.url("sample.mp4") }, { maxRetries: 0 });
    expect(asset.status).toBe("processing");
    await pollUntil(() => client.assets.retrieve(asset.id!), (a) => a.status === "ready", { intervalMs: 200 });

    const store = await client.knowledgeStores.create({ name: "sdk", ingestionConfig: { enrichmentConfig: { type: "description", description: "scenes" } } });
    const item = await client.knowledgeStoreItems.create(store.id!, { assetId: asset.id! });
    const { last } = await pollUntil(() => client.knowledgeStoreItems.retrieve(store.id!, item.id!), (i) => i.status === "ready" || i.status === "failed", { intervalMs: 200 });
    expect(last.status).toBe("ready");

    const listed = await client.knowledgeStoreItems.list(store.id!, { status: ["ready"] });
    expect(listed.data.map((i) => i.id)).toEqual([item.id]);

    const answer = await client.responses.create({ knowledgeStoreId: store.id!, input: [{ type: "message", role: "user", content: "Describe the scenes." }] });
    expect(answer.status).toBe("completed");
    expect(answer.output?.[0]?.content?.[0]?.text.length).toBeGreaterThan(20);
    expect(answer.output?.[0]?.content?.[0]?.annotations[0]?.itemId).toBe(item.id);
  });

  it("forwards a JSON-schema ingestion config to the platform intact", async () => {
    const { apiKey } = await stack.newTenant();
    const json_schema = {
      type: "object",
      properties: { speaker_name: { type: "string", description: "who speaks" }, topics: { type: "array", description: "what about", items: { type: "string" } } },
      required: ["speaker_name"],
    };
    const store = await readJson(
      fetch(`${stack.base}/knowledge-stores`, {
        method: "POST",
        headers: { "x-api-key": apiKey, "content-type": "application/json" },
        body: JSON.stringify({ name: "schema", ingestion_config: { enrichment_config: { type: "json_schema", json_schema } } }),
      }),
    );
    const { last: row } = await pollUntil(() => stack.prisma.knowledgeStore.findUniqueOrThrow({ where: { id: store._id } }), (s) => s.syncStatus !== "pending");
    expect(row.syncStatus).toBe("synced");
    const upstream = await readJson(fetch(`${stack.platformUrl}/knowledge-stores/${row.upstreamId}`, { headers: { "x-api-key": "any" } }));
    expect(upstream.ingestion_config).toEqual({ enrichment_config: { type: "json_schema", json_schema } });
    expect(upstream.metadata).toEqual({ reelay_id: store._id });
  });
});

import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCorruptVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { pollUntil, readJson, startTestStack, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
let stack: TestStack;
let files: FileServer;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeCorruptVideo(mediaDir);
  files = await serveFiles(mediaDir);
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
  await files?.close();
});

describe("media the platform cannot use", () => {
  it("a corrupt video ends failed with a reason, and so does the item that waited for it", async () => {
    const { apiKey, tenantId } = await stack.newTenant();
    const headers = { "x-api-key": apiKey };
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url("corrupt.mp4"));
    const asset = await readJson(await fetch(`${stack.base}/assets`, { method: "POST", headers, body: form }));
    const store = await readJson(await fetch(`${stack.base}/knowledge-stores`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ name: "c" }) }));
    const item = await readJson(
      await fetch(`${stack.base}/knowledge-stores/${store._id}/items`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ asset_id: asset._id }) }),
    );
    expect(item.status).toBe("queued");

    const { last: failed } = await pollUntil(() => readJson(fetch(`${stack.base}/assets/${asset._id}`, { headers })), (a) => a.status !== "processing");
    expect(failed.status).toBe("failed");
    expect(failed.error.message).toMatch(/not a playable|invalid|could not/i);

    const { last: failedItem } = await pollUntil(() => readJson(fetch(`${stack.base}/knowledge-stores/${store._id}/items/${item._id}`, { headers })), (i) => i.status === "failed" || i.status === "ready");
    expect(failedItem.status).toBe("failed");
    expect(failedItem.error.message).toMatch(/asset .* failed/);

    // A new item for a failed asset is refused up front.
    const refused = await fetch(`${stack.base}/knowledge-stores/${store._id}/items`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ asset_id: asset._id }) });
    expect(refused.status).toBe(400);
    expect(await readJson(refused)).toMatchObject({ code: "parameter_invalid" });

    const events = await stack.prisma.event.findMany({ where: { tenantId }, select: { type: true } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["asset.failed", "knowledge_store_item.failed"]));
  });

  it("an unreachable URL ends failed with a reason", async () => {
    const { apiKey } = await stack.newTenant();
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url("no-such-file.mp4"));
    const asset = await readJson(await fetch(`${stack.base}/assets`, { method: "POST", headers: { "x-api-key": apiKey }, body: form }));
    const { last } = await pollUntil(() => readJson(fetch(`${stack.base}/assets/${asset._id}`, { headers: { "x-api-key": apiKey } })), (a) => a.status !== "processing");
    expect(last.status).toBe("failed");
    expect(last.error.message).toMatch(/404|not found|download/i);
  });
});

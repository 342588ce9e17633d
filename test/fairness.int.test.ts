import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSampleVideo, serveFiles, type FileServer } from "@reelay/sample-media";
import { startWorker } from "@reelay/worker";
import { pollUntil, readJson, startTestStack, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
const BACKLOG = Number(process.env.FAIRNESS_BACKLOG ?? 300);
let stack: TestStack;
let files: FileServer;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  await makeSampleVideo(mediaDir);
  files = await serveFiles(mediaDir);
  // Two jobs at a time: a backlog is a backlog.
  stack = await startTestStack({ startWorker: false, env: { WORKER_CONCURRENCY: "2" } });
});
afterAll(async () => {
  await stack?.close();
  await files?.close();
});

async function tenantWithStore(name: string) {
  const { apiKey } = await stack.newTenant(name);
  const headers = { "x-api-key": apiKey };
  const json = { ...headers, "content-type": "application/json" };
  const form = new FormData();
  form.set("method", "url");
  form.set("url", files.url("sample.mp4"));
  const asset = await readJson(fetch(`${stack.base}/assets`, { method: "POST", headers, body: form }));
  const store = await readJson(fetch(`${stack.base}/knowledge-stores`, { method: "POST", headers: json, body: JSON.stringify({ name }) }));
  const addItem = async () => readJson(fetch(`${stack.base}/knowledge-stores/${store._id}/items`, { method: "POST", headers: json, body: JSON.stringify({ asset_id: asset._id }) }));
  return { store, addItem };
}

describe("fairness between tenants", () => {
  it(`one tenant's ${BACKLOG} items do not starve another's single item, added after them`, async () => {
    const busy = await tenantWithStore("busy");
    const busyItems = [];
    for (let i = 0; i < BACKLOG; i++) busyItems.push(await busy.addItem());
    const quiet = await tenantWithStore("quiet");
    const item = await quiet.addItem();

    const worker = await startWorker(stack.workerConfig, () => {});
    try {
      await pollUntil(() => stack.prisma.knowledgeStoreItem.findUniqueOrThrow({ where: { id: item._id } }), (i) => i.upstreamId !== null, { timeoutMs: 60_000 });
      const waiting = await stack.prisma.knowledgeStoreItem.count({ where: { knowledgeStoreId: busy.store._id, upstreamId: null } });
      console.log(`[fairness] when the quiet tenant's item reached the platform, ${waiting} of the busy tenant's ${BACKLOG} items had not`);
      // Served near the front, not after the backlog: most of the busy tenant's items were still waiting.
      expect(waiting).toBeGreaterThan(BACKLOG / 2);
    } finally {
      await worker.close();
    }
  }, 120_000);
});

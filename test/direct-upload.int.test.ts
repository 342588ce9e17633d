import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSampleVideo } from "@reelay/sample-media";
import { pollUntil, readJson, startTestStack, type TestStack } from "./support/stack.ts";

const mediaDir = path.resolve(".data/test-media");
let stack: TestStack;
let video: Buffer;

beforeAll(async () => {
  await mkdir(mediaDir, { recursive: true });
  video = await readFile(await makeSampleVideo(mediaDir));
  stack = await startTestStack();
});
afterAll(async () => stack?.close());

describe("POST /v1.3/assets with method=direct", () => {
  it("takes the uploaded file to the platform and to ready, then drops the local copy", async () => {
    const { apiKey } = await stack.newTenant();
    const form = new FormData();
    form.set("method", "direct");
    form.set("file", new Blob([video], { type: "video/mp4" }), "upload.mp4");
    form.set("user_metadata", JSON.stringify({ camera: "a", take: 2 }));
    const res = await fetch(`${stack.base}/assets`, { method: "POST", headers: { "x-api-key": apiKey }, body: form });
    expect(res.status).toBe(201);
    const asset = await readJson(res);
    expect(asset).toMatchObject({ method: "direct", status: "processing", filename: "upload.mp4", file_type: "video/mp4", user_metadata: { camera: "a", take: 2 } });

    const { last } = await pollUntil(() => readJson(fetch(`${stack.base}/assets/${asset._id}`, { headers: { "x-api-key": apiKey } })), (a) => a.status !== "processing");
    expect(last).toMatchObject({ status: "ready", size: video.length });
    expect(last.duration).toBeCloseTo(9, 0);
    // Reelay's id stamp stays upstream; the client sees only its own metadata.
    expect(last.user_metadata).toEqual({ camera: "a", take: 2 });
    expect(await readdir(stack.blobDir)).toEqual([]);
  });
});

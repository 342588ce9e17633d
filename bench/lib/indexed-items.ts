import type { BenchStack } from "./bench-stack.ts";
import { progress } from "./report.ts";
import { mapLimit, reelayClient } from "./reelay-client.ts";

/**
 * A ready image asset and a store synced upstream, through the API: the fixtures items are added
 * to. Image items keep the emulator from running ffmpeg per item, so many of them stay cheap.
 * Needs a worker running against the stack.
 */
export async function imageStore(stack: BenchStack, imagePath: string, name: string): Promise<{ assetId: string; storeId: string }> {
  const client = reelayClient(stack);
  const asset = await client.uploadAsset(imagePath);
  const store = await client.createStore(name);
  await client.waitForJob(asset.jobId!);
  await client.waitForJob(store.jobId!);
  return { assetId: asset._id, storeId: store._id };
}

/** A video item indexed through the API: uploaded, added to a new store, waited for until ready. Needs a worker. */
export async function indexedVideoItem(stack: BenchStack, videoPath: string, name: string): Promise<{ storeId: string; itemId: string; jobId: string }> {
  const client = reelayClient(stack);
  const asset = await client.uploadAsset(videoPath);
  const store = await client.createStore(name);
  const item = await client.addItem(store._id, asset._id);
  await client.waitForJob(item.jobId!);
  return { storeId: store._id, itemId: item._id, jobId: item.jobId! };
}

/** Adds `count` image items through the API, `concurrency` requests at once; returns their ids and the rate. */
export async function addItems(stack: BenchStack, bench: string, fixture: { assetId: string; storeId: string }, count: number, concurrency = 16) {
  const client = reelayClient(stack);
  const started = performance.now();
  let done = 0;
  const ids = await mapLimit(Array.from({ length: count }), concurrency, async () => {
    const item = await client.addItem(fixture.storeId, fixture.assetId, "image");
    if (++done % 1000 === 0) progress(bench, `${done}/${count} items added`);
    return item._id;
  });
  return { ids, perSecond: count / ((performance.now() - started) / 1000) };
}

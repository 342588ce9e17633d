import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import type { EmulatorContext } from "../context.ts";
import { processAsset } from "../assets/process-asset.ts";
import type { MultipartUploadRecord } from "../state/emulator-state.ts";

/**
 * Every chunk is reported: the session is `completed` ("the platform received the file") at once;
 * the chunks are then joined into one file and the asset is processed like a direct upload.
 */
export function completeUpload(ctx: EmulatorContext, upload: MultipartUploadRecord): void {
  upload.status = "completed";
  upload.updatedAt = new Date();
  const asset = ctx.state.assets.get(upload.assetId);
  if (!asset) return;
  const parts = upload.chunks.map((chunk) => chunk.received?.path);
  ctx.background.run(async () => {
    const dir = join(ctx.workDir, "uploads");
    const target = join(dir, `${asset.id}-multipart`);
    try {
      await mkdir(dir, { recursive: true });
      await joinParts(parts, target);
    } catch (error) {
      await rm(target, { force: true });
      if (ctx.background.closed) return;
      Object.assign(asset, { status: "failed", failure: `the uploaded chunks could not be joined: ${error instanceof Error ? error.message : String(error)}` });
      return;
    } finally {
      await rm(upload.dir, { recursive: true, force: true });
      for (const chunk of upload.chunks) chunk.received = undefined;
    }
    // Deleted while the chunks were being joined.
    if (ctx.state.assets.get(asset.id) !== asset) {
      await rm(target, { force: true });
      return;
    }
    asset.filePath = target;
    processAsset(ctx, asset, { filePath: target });
  });
}

/**
 * Appends each part to `target` in order. Not `pipeline(…, { end: false })` per part: that leaves
 * its listeners on the shared write stream, one set per part (Node's MaxListeners warning past ten).
 */
async function joinParts(parts: Array<string | undefined>, target: string): Promise<void> {
  const out = createWriteStream(target);
  let failure: Error | undefined;
  out.on("error", (error) => (failure = error));
  try {
    for (const part of parts) {
      if (!part) throw new Error("a reported chunk has no stored bytes");
      for await (const data of createReadStream(part)) {
        if (failure) throw failure;
        if (!out.write(data)) await once(out, "drain");
      }
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (failure) throw failure;
  } catch (error) {
    out.destroy();
    throw error;
  }
}

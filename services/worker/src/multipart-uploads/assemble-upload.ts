import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Asset } from "@reelay/db";
import { multipartChunkDir, multipartChunkFile, StaleStateError } from "@reelay/domain";
import { StepFailure, type StepContext } from "../steps/step.ts";

/**
 * Joins a completed multipart upload's chunks, in index order, into the asset's blob — streamed,
 * one chunk file after another into one write stream — then records the blob on the asset and
 * deletes the chunks. A re-run after a crash starts the join over, unless the joined file already
 * has its full size (the run died between renaming it into place and recording it).
 */
export async function assembleUpload(ctx: StepContext, asset: Asset): Promise<void> {
  const upload = await ctx.prisma.multipartUpload.findUnique({ where: { assetId: asset.id } });
  if (!upload || upload.status !== "completed") throw incomplete(`its multipart upload is ${upload?.status ?? "missing"}`);
  const target = path.join(ctx.blobDir, asset.id);
  const totalSize = Number(upload.totalSize);

  if ((await sizeOf(target)) !== totalSize) {
    const chunks = await ctx.prisma.multipartChunk.findMany({ where: { uploadId: upload.id, status: "completed" }, orderBy: { index: "asc" }, select: { index: true, etag: true } });
    if (chunks.length !== upload.totalChunks) throw incomplete(`${chunks.length} of its ${upload.totalChunks} chunks are recorded`);
    const partial = path.join(multipartChunkDir(ctx.blobDir, upload.id), "assembled.part");
    const out = createWriteStream(partial);
    let writeError: Error | undefined;
    // A write error between two waits for "drain" must not go unheard (an unheard "error" throws).
    out.on("error", (error) => (writeError ??= error));
    try {
      for (const chunk of chunks) await append(out, multipartChunkFile(ctx.blobDir, upload.id, chunk.index, chunk.etag ?? ""));
      await close(out);
      if (writeError) throw writeError;
      const joined = await sizeOf(partial);
      if (joined !== totalSize) throw incomplete(`the joined chunks hold ${joined} bytes, not the declared ${totalSize}`);
      await rename(partial, target);
    } catch (error) {
      out.destroy();
      await rm(partial, { force: true });
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw incomplete("the bytes of a reported chunk are gone");
      throw error;
    }
  }

  const recorded = await ctx.prisma.asset.updateMany({ where: { id: asset.id, status: "processing", deletedAt: null }, data: { blobKey: asset.id, size: upload.totalSize } });
  if (recorded.count === 0) {
    // Cancelled or deleted meanwhile: nothing will send the file.
    await rm(target, { force: true });
    throw new StaleStateError("asset", asset.id);
  }
  await rm(multipartChunkDir(ctx.blobDir, upload.id), { recursive: true, force: true });
}

function incomplete(why: string): StepFailure {
  return new StepFailure({ status: 500, code: "upload_incomplete", message: `The uploaded file could not be put together: ${why}.` });
}

async function sizeOf(file: string): Promise<number | undefined> {
  return (await stat(file).catch(() => undefined))?.size;
}

/** Copies a file onto the end of `out`, a read buffer at a time, waiting whenever `out` is full. */
async function append(out: WriteStream, file: string): Promise<void> {
  for await (const data of createReadStream(file)) {
    if (!out.write(data)) await once(out, "drain");
  }
}

function close(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

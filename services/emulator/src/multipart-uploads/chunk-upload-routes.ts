import { Router } from "express";
import { z } from "zod";
import type { EmulatorContext } from "../context.ts";
import { parseInput } from "../http/parse-input.ts";
import { receiveChunk } from "./receive-chunk.ts";

const ChunkParams = z.object({ upload_id: z.string().min(1), chunk_index: z.coerce.number().int().min(1) });
const ChunkQuery = z.object({ token: z.string().min(1) });

/**
 * The presigned chunk URLs, outside `/v1.3` and without an API key, as S3's are: the token in the
 * URL is the authorisation. The answer carries the chunk's quoted `ETag`, like S3's.
 */
export function chunkUploadRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.put("/uploads/:upload_id/:chunk_index", async (req, res) => {
    const { upload_id, chunk_index } = parseInput(ChunkParams, req.params, "multipart_upload");
    const { token } = parseInput(ChunkQuery, req.query, "multipart_upload");
    const length = req.get("content-length");
    const { etag } = await receiveChunk(ctx, {
      uploadId: upload_id,
      chunkIndex: chunk_index,
      token,
      declaredLength: length === undefined ? undefined : Number(length),
      body: req,
    });
    res.setHeader("ETag", `"${etag}"`);
    res.status(200).end();
  });

  return router;
}

import { Router } from "express";
import { z } from "zod";
import { parse } from "../http/validate.ts";
import type { MultipartUploadDeps } from "./multipart-upload-deps.ts";
import { receiveChunk } from "./receive-chunk.ts";

const ChunkParams = z.object({ upload_id: z.string().min(1).max(64), chunk_index: z.coerce.number().int().min(1).max(1_000_000) });
const ChunkQuery = z.object({ expires: z.coerce.number().int().positive(), sig: z.string().min(1).max(128) });

/**
 * The chunk URLs handed out by `multipart_uploads.*`: outside `/v1.3` and without an API key, as
 * S3's presigned URLs are — the signed grant in the URL is the authorisation. The body is the
 * chunk's bytes, streamed to disk; the answer carries their quoted MD5 as `ETag`, like S3's.
 */
export function chunkUploadRoutes(deps: MultipartUploadDeps): Router {
  const router = Router();

  router.put("/uploads/:upload_id/:chunk_index", async (req, res) => {
    const { upload_id, chunk_index } = parse(ChunkParams, req.params, "multipart_upload");
    const { expires, sig } = parse(ChunkQuery, req.query, "multipart_upload");
    const length = req.get("content-length");
    const { etag } = await receiveChunk(deps, { uploadId: upload_id, chunkIndex: chunk_index, expires, sig, declaredLength: length === undefined ? undefined : Number(length), body: req });
    res.setHeader("ETag", `"${etag}"`);
    res.status(200).end();
  });

  return router;
}

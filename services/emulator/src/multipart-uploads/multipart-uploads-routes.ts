import type { PageInfo } from "@reelay/contract";
import { Router } from "express";
import type { EmulatorContext } from "../context.ts";
import { paginate } from "../http/paginate.ts";
import { parseInput } from "../http/parse-input.ts";
import { requestOrigin } from "../http/request-origin.ts";
import { createMultipartUpload } from "./create-multipart-upload.ts";
import { getUpload } from "./get-upload.ts";
import { listIncompleteUploads } from "./list-incomplete-uploads.ts";
import { CreateUploadBody, ListUploadsQuery, PresignedUrlsBody, ReportChunksBody, UploadParams, UploadStatusQuery } from "@reelay/contract";
import type { CreateUploadResponse, IncompleteUploadSummary, PresignedUrlsResponse, ReportChunksResponse, UploadStatusResponse } from "@reelay/contract";
import { requestPresignedUrls } from "./presigned-urls.ts";
import { reportChunks } from "./report-chunks.ts";
import { toUploadStatus, toUploadSummary } from "./upload-view.ts";

/** `/assets/multipart-uploads...`; mount before the asset routes, whose `/assets/:asset_id` would match these paths. */
export function multipartUploadsRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post("/assets/multipart-uploads", (req, res) => {
    const body = parseInput(CreateUploadBody, req.body, "multipart_upload");
    const answer: CreateUploadResponse = createMultipartUpload(ctx, body, requestOrigin(req));
    res.status(201).json(answer);
  });

  router.get("/assets/multipart-uploads", (req, res) => {
    const query = parseInput(ListUploadsQuery, req.query, "multipart_upload");
    const answer: { data: IncompleteUploadSummary[]; page_info: PageInfo } = paginate(listIncompleteUploads(ctx).map(toUploadSummary), query);
    res.json(answer);
  });

  router.get("/assets/multipart-uploads/:upload_id", (req, res) => {
    const { upload_id } = parseInput(UploadParams, req.params, "multipart_upload");
    const query = parseInput(UploadStatusQuery, req.query, "multipart_upload");
    const answer: UploadStatusResponse = toUploadStatus(getUpload(ctx, upload_id), query);
    res.json(answer);
  });

  router.post("/assets/multipart-uploads/:upload_id", (req, res) => {
    const { upload_id } = parseInput(UploadParams, req.params, "multipart_upload");
    const body = parseInput(ReportChunksBody, req.body, "multipart_upload");
    const answer: ReportChunksResponse = reportChunks(ctx, upload_id, requestOrigin(req), body.completed_chunks);
    res.json(answer);
  });

  router.post("/assets/multipart-uploads/:upload_id/presigned-urls", (req, res) => {
    const { upload_id } = parseInput(UploadParams, req.params, "multipart_upload");
    const body = parseInput(PresignedUrlsBody, req.body, "multipart_upload");
    const answer: PresignedUrlsResponse = requestPresignedUrls(ctx, upload_id, requestOrigin(req), body.start, body.count);
    res.json(answer);
  });

  return router;
}

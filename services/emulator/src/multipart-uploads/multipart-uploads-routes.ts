import { routes } from "@reelay/contract";
import type { CreateUploadResponse, IncompleteUploadSummary, PageInfo, PresignedUrlsResponse, ReportChunksResponse, UploadStatusResponse } from "@reelay/contract";
import { Router } from "express";
import type { EmulatorContext } from "../context.ts";
import { bindRoute } from "../http/bind-route.ts";
import { paginate } from "../http/paginate.ts";
import { requestOrigin } from "../http/request-origin.ts";
import { createMultipartUpload } from "./create-multipart-upload.ts";
import { getUpload } from "./get-upload.ts";
import { listIncompleteUploads } from "./list-incomplete-uploads.ts";
import { requestPresignedUrls } from "./presigned-urls.ts";
import { reportChunks } from "./report-chunks.ts";
import { toUploadStatus, toUploadSummary } from "./upload-view.ts";

/** `/assets/multipart-uploads...`; mount before the asset routes, whose `/assets/:asset_id` would match these paths. */
export function multipartUploadsRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  bindRoute(router, routes["multipart_uploads.create"], ({ body }, req, res) => {
    const answer: CreateUploadResponse = createMultipartUpload(ctx, body, requestOrigin(req));
    res.status(201).json(answer);
  });

  bindRoute(router, routes["multipart_uploads.list"], ({ query }, _req, res) => {
    const answer: { data: IncompleteUploadSummary[]; page_info: PageInfo } = paginate(listIncompleteUploads(ctx).map(toUploadSummary), query);
    res.json(answer);
  });

  bindRoute(router, routes["multipart_uploads.status"], ({ params, query }, _req, res) => {
    const answer: UploadStatusResponse = toUploadStatus(getUpload(ctx, params.upload_id), query);
    res.json(answer);
  });

  bindRoute(router, routes["multipart_uploads.report"], ({ params, body }, req, res) => {
    const answer: ReportChunksResponse = reportChunks(ctx, params.upload_id, requestOrigin(req), body.completed_chunks);
    res.json(answer);
  });

  bindRoute(router, routes["multipart_uploads.presigned_urls"], ({ params, body }, req, res) => {
    const answer: PresignedUrlsResponse = requestPresignedUrls(ctx, params.upload_id, requestOrigin(req), body.start, body.count);
    res.json(answer);
  });

  return router;
}

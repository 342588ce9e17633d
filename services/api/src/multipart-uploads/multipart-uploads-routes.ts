import { Router, type Request } from "express";
import { routes } from "@reelay/contract";
import { tenantOf } from "../http/auth.ts";
import { bindRoute } from "../http/bind-route.ts";
import { createMultipartUpload } from "./create-multipart-upload.ts";
import { getUploadStatus } from "./get-upload-status.ts";
import { requestPresignedUrls } from "./issue-chunk-urls.ts";
import { listIncompleteUploads } from "./list-incomplete-uploads.ts";
import type { MultipartUploadDeps } from "./multipart-upload-deps.ts";
import { reportChunks } from "./report-chunks.ts";

export interface MultipartRoutesDeps extends MultipartUploadDeps {
  /** REELAY_PUBLIC_URL; default each request's own scheme and host. */
  publicUrl: string | undefined;
}

/** The base chunk URLs and asset URLs are built from (no `/v1.3`). */
export function publicOrigin(publicUrl: string | undefined, req: Request): string {
  return publicUrl ?? `${req.protocol}://${req.get("host") ?? "127.0.0.1"}`;
}

/** `/assets/multipart-uploads...`; mount before the asset routes, whose `/assets/:asset_id` would match these paths. */
export function multipartUploadsRoutes(deps: MultipartRoutesDeps): Router {
  const router = Router();

  bindRoute(router, routes["multipart_uploads.create"], async ({ body }, req, res) => {
    res.status(201).json(await createMultipartUpload(deps, tenantOf(res), body, publicOrigin(deps.publicUrl, req)));
  });

  bindRoute(router, routes["multipart_uploads.list"], async ({ query }, _req, res) => {
    res.json(await listIncompleteUploads(deps, tenantOf(res), query));
  });

  bindRoute(router, routes["multipart_uploads.status"], async ({ params, query }, _req, res) => {
    res.json(await getUploadStatus(deps, tenantOf(res), params.upload_id, query));
  });

  bindRoute(router, routes["multipart_uploads.report"], async ({ params, body }, req, res) => {
    res.json(await reportChunks(deps, tenantOf(res), params.upload_id, publicOrigin(deps.publicUrl, req), body.completed_chunks));
  });

  bindRoute(router, routes["multipart_uploads.presigned_urls"], async ({ params, body }, req, res) => {
    res.json(await requestPresignedUrls(deps, tenantOf(res), params.upload_id, publicOrigin(deps.publicUrl, req), body.start, body.count));
  });

  return router;
}

import { rm } from "node:fs/promises";
import { Router, type ErrorRequestHandler, type Response } from "express";
import { pageInfo, routes } from "@reelay/contract";
import { toAssetWire, toTranscriptionWire } from "@reelay/domain";
import { tenantOf } from "../http/auth.ts";
import { bindRoute } from "../http/bind-route.ts";
import { sendCreated } from "../http/created.ts";
import { multipartUpload } from "../http/multipart.ts";
import { changeUserMetadata } from "./change-user-metadata.ts";
import { createAsset, type CreateAssetDeps } from "./create-asset.ts";
import { deleteAsset } from "./delete-asset.ts";
import { getAsset } from "./get-asset.ts";
import { getAssetTranscription } from "./get-asset-transcription.ts";
import { listAssets } from "./list-assets.ts";

/** A bodiless answer (204) whose work continues in a job: the job, when there is one, in `X-Job-Id`. */
function sendNoContent(res: Response, job: { id: string } | undefined): void {
  if (job) res.setHeader("X-Job-Id", job.id);
  res.status(204).end();
}

export function assetRoutes(deps: CreateAssetDeps & { maxUploadBytes: number }): Router {
  const router = Router();
  // Uploads stream to disk in the blob directory; the worker sends them upstream later.
  const upload = multipartUpload({ dest: deps.blobDir, fileField: "file", maxFileBytes: deps.maxUploadBytes, resource: "asset" });

  bindRoute(
    router,
    routes["assets.create"],
    async ({ body }, req, res) => {
      const { asset, job } = await createAsset(deps, tenantOf(res), body, req.file);
      sendCreated(res, 201, job, toAssetWire(asset));
    },
    upload,
  );

  bindRoute(router, routes["assets.list"], async ({ query }, _req, res) => {
    const { rows, total } = await listAssets(deps.prisma, tenantOf(res), query);
    res.json({ data: rows.map(toAssetWire), page_info: pageInfo(query, total) });
  });

  bindRoute(router, routes["assets.retrieve"], async ({ params }, _req, res) => {
    res.json(toAssetWire(await getAsset(deps.prisma, tenantOf(res), params.asset_id)));
  });

  bindRoute(router, routes["assets.delete"], async ({ params, query }, _req, res) => {
    const { job } = await deleteAsset(deps, tenantOf(res), params.asset_id, { force: query.force ?? false });
    sendNoContent(res, job);
  });

  bindRoute(router, routes["assets.transcription"], async ({ params, query }, _req, res) => {
    const transcription = await getAssetTranscription(deps, tenantOf(res), params.asset_id);
    if (transcription.jobId) res.setHeader("X-Job-Id", transcription.jobId);
    res.json(toTranscriptionWire(transcription, query.include));
  });

  bindRoute(router, routes["assets.user_metadata.replace"], async ({ params, body }, _req, res) => {
    sendNoContent(res, (await changeUserMetadata(deps, tenantOf(res), params.asset_id, { replace: body.user_metadata })).job);
  });

  bindRoute(router, routes["assets.user_metadata.update"], async ({ params, body }, _req, res) => {
    sendNoContent(res, (await changeUserMetadata(deps, tenantOf(res), params.asset_id, { update: body.user_metadata })).job);
  });

  bindRoute(router, routes["assets.user_metadata.delete"], async ({ params }, _req, res) => {
    sendNoContent(res, (await changeUserMetadata(deps, tenantOf(res), params.asset_id, { clear: true })).job);
  });

  router.use(discardUpload);
  return router;
}

/** A refused upload (bad form fields, a failed write) must not leave its bytes in the blob directory. */
const discardUpload: ErrorRequestHandler = (error, req, _res, next) => {
  if (!req.file) return next(error);
  rm(req.file.path, { force: true }).then(() => next(error), () => next(error));
};

import { mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { AppError, routes } from "@reelay/contract";
import type { Asset, AssetDetail, AssetTranscription, PageInfo } from "@reelay/contract";
import { Router } from "express";
import type { Request, RequestHandler } from "express";
import multer from "multer";
import type { EmulatorContext } from "../context.ts";
import { bindRoute } from "../http/bind-route.ts";
import { paginate } from "../http/paginate.ts";
import { requestOrigin } from "../http/request-origin.ts";
import { deleteUserMetadata, replaceUserMetadata, updateUserMetadata } from "./asset-user-metadata.ts";
import { toAsset, toAssetDetail } from "./asset-view.ts";
import { createAsset } from "./create-asset.ts";
import { deleteAsset } from "./delete-asset.ts";
import { getAsset } from "./get-asset.ts";
import { getAssetTranscription } from "./get-asset-transcription.ts";
import { listAssets } from "./list-assets.ts";
import { toTranscription } from "./transcription-view.ts";

export function assetsRoutes(ctx: EmulatorContext): Router {
  const uploadsDir = join(ctx.workDir, "uploads");
  mkdirSync(uploadsDir, { recursive: true });
  const upload = multer({
    storage: multer.diskStorage({ destination: uploadsDir }),
    limits: { fileSize: ctx.config.maxDirectBytes, files: 1, fields: 20, fieldSize: 1024 * 1024 },
  });
  const router = Router();

  bindRoute(
    router,
    routes["assets.create"],
    async ({ body: form }, req, res) => {
      const file = req.file;
      if (form.method === "direct" && !file) throw missingFile();
      if (form.method === "url" && file) await rm(file.path, { force: true });
      const body: Asset = toAsset(createAsset(ctx, form, form.method === "direct" ? file : undefined));
      res.status(201).json(body);
    },
    { before: [requireMultipart, upload.single("file")], onRejected: discardUpload },
  );

  bindRoute(router, routes["assets.list"], ({ query }, req, res) => {
    const rows = listAssets(ctx, { filename: query.filename, assetIds: query.asset_ids, assetTypes: query.asset_types });
    const origin = requestOrigin(req);
    const body: { data: AssetDetail[]; page_info: PageInfo } = paginate(
      rows.map((row) => toAssetDetail(row, origin)),
      query,
    );
    res.json(body);
  });

  bindRoute(router, routes["assets.retrieve"], ({ params }, req, res) => {
    const body: AssetDetail = toAssetDetail(getAsset(ctx, params.asset_id), requestOrigin(req));
    res.json(body);
  });

  bindRoute(router, routes["assets.delete"], async ({ params, query }, _req, res) => {
    await deleteAsset(ctx, params.asset_id, { force: query.force ?? false });
    res.status(204).end();
  });

  bindRoute(router, routes["assets.transcription"], ({ params, query }, _req, res) => {
    const body: AssetTranscription = toTranscription(getAssetTranscription(ctx, params.asset_id), query.include);
    res.json(body);
  });

  // The SDK declares no body for the three user-metadata answers: 204, like the other bodiless ones.
  bindRoute(router, routes["assets.user_metadata.replace"], ({ params, body }, _req, res) => {
    replaceUserMetadata(ctx, params.asset_id, body.user_metadata);
    res.status(204).end();
  });

  bindRoute(router, routes["assets.user_metadata.update"], ({ params, body }, _req, res) => {
    updateUserMetadata(ctx, params.asset_id, body.user_metadata);
    res.status(204).end();
  });

  bindRoute(router, routes["assets.user_metadata.delete"], ({ params }, _req, res) => {
    deleteUserMetadata(ctx, params.asset_id);
    res.status(204).end();
  });

  return router;
}

/** A rejected form must not leave its uploaded bytes behind. */
async function discardUpload(req: Request): Promise<void> {
  if (req.file) await rm(req.file.path, { force: true });
}

/** The platform only takes multipart here; accepting JSON would hide a client bug until production. */
const requireMultipart: RequestHandler = (req, _res, next) => {
  if (req.is("multipart/form-data")) return next();
  next(
    new AppError({
      code: "asset/unsupported_media_type",
      platformCode: "parameter_invalid",
      status: 400,
      message: "The request body is invalid: POST /assets takes multipart/form-data (fields method, url or file, filename, user_metadata).",
    }),
  );
};

function missingFile(): AppError {
  return new AppError({
    code: "asset/validation_failed",
    platformCode: "parameter_not_provided",
    status: 400,
    message: "The file parameter is required when method is direct.",
    errors: [{ field: "file", message: "required when method is direct" }],
  });
}

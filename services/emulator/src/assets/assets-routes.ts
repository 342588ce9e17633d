import { mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { AppError, CreateAssetForm } from "@reelay/contract";
import type { Asset, AssetDetail, PageInfo } from "@reelay/contract";
import { Router } from "express";
import type { RequestHandler } from "express";
import multer from "multer";
import type { EmulatorContext } from "../context.ts";
import { paginate } from "../http/paginate.ts";
import { parseInput } from "../http/parse-input.ts";
import { requestOrigin } from "../http/request-origin.ts";
import { deleteUserMetadata, replaceUserMetadata, updateUserMetadata } from "./asset-user-metadata.ts";
import { toAsset, toAssetDetail } from "./asset-view.ts";
import { AssetParams, DeleteAssetQuery, ListAssetsQuery, TranscriptionQuery, UserMetadataChangeBody } from "@reelay/contract";
import type { AssetTranscription } from "@reelay/contract";
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

  router.post("/assets", requireMultipart, upload.single("file"), async (req, res) => {
    const file = req.file;
    const form = await parseOrDiscard(req.body, file?.path);
    if (form.method === "direct" && !file) throw missingFile();
    if (form.method === "url" && file) await rm(file.path, { force: true });
    const body: Asset = toAsset(createAsset(ctx, form, form.method === "direct" ? file : undefined));
    res.status(201).json(body);
  });

  router.get("/assets", (req, res) => {
    const query = parseInput(ListAssetsQuery, req.query, "asset");
    const rows = listAssets(ctx, { filename: query.filename, assetIds: query.asset_ids, assetTypes: query.asset_types });
    const origin = requestOrigin(req);
    const body: { data: AssetDetail[]; page_info: PageInfo } = paginate(
      rows.map((row) => toAssetDetail(row, origin)),
      query,
    );
    res.json(body);
  });

  router.get("/assets/:asset_id", (req, res) => {
    const { asset_id } = parseInput(AssetParams, req.params, "asset");
    const body: AssetDetail = toAssetDetail(getAsset(ctx, asset_id), requestOrigin(req));
    res.json(body);
  });

  router.delete("/assets/:asset_id", async (req, res) => {
    const { asset_id } = parseInput(AssetParams, req.params, "asset");
    const { force } = parseInput(DeleteAssetQuery, req.query, "asset");
    await deleteAsset(ctx, asset_id, { force: force ?? false });
    res.status(204).end();
  });

  router.get("/assets/:asset_id/transcription", (req, res) => {
    const { asset_id } = parseInput(AssetParams, req.params, "asset");
    const { include } = parseInput(TranscriptionQuery, req.query, "asset");
    const body: AssetTranscription = toTranscription(getAssetTranscription(ctx, asset_id), include);
    res.json(body);
  });

  // The SDK declares no body for the three user-metadata answers: 204, like the other bodiless ones.
  router.put("/assets/:asset_id/user-metadata", (req, res) => {
    const { asset_id } = parseInput(AssetParams, req.params, "asset");
    const body = parseInput(UserMetadataChangeBody, req.body, "asset");
    replaceUserMetadata(ctx, asset_id, body.user_metadata);
    res.status(204).end();
  });

  router.patch("/assets/:asset_id/user-metadata", (req, res) => {
    const { asset_id } = parseInput(AssetParams, req.params, "asset");
    const body = parseInput(UserMetadataChangeBody, req.body, "asset");
    updateUserMetadata(ctx, asset_id, body.user_metadata);
    res.status(204).end();
  });

  router.delete("/assets/:asset_id/user-metadata", (req, res) => {
    const { asset_id } = parseInput(AssetParams, req.params, "asset");
    deleteUserMetadata(ctx, asset_id);
    res.status(204).end();
  });

  return router;
}

/** A rejected form must not leave its uploaded bytes behind. */
async function parseOrDiscard(body: unknown, uploadedPath: string | undefined): Promise<CreateAssetForm> {
  try {
    return parseInput(CreateAssetForm, body, "asset");
  } catch (error) {
    if (uploadedPath) await rm(uploadedPath, { force: true });
    throw error;
  }
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

import { mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { AppError, CreateAssetForm, PageQuery, repeatedQuery } from "@reelay/contract";
import type { Asset, AssetDetail, PageInfo } from "@reelay/contract";
import { Router } from "express";
import type { RequestHandler } from "express";
import multer from "multer";
import { z } from "zod";
import type { EmulatorContext } from "../context.ts";
import { paginate } from "../http/paginate.ts";
import { parseInput } from "../http/parse-input.ts";
import { toAsset, toAssetDetail } from "./asset-view.ts";
import { createAsset } from "./create-asset.ts";
import { deleteAsset } from "./delete-asset.ts";
import { getAsset } from "./get-asset.ts";
import { listAssets } from "./list-assets.ts";

const AssetParams = z.object({ asset_id: z.string().min(1) });
const ListAssetsQuery = PageQuery.extend({
  filename: z.string().optional(),
  asset_ids: repeatedQuery(z.string().min(1)),
  asset_types: repeatedQuery(z.enum(["video", "audio", "image"])),
});

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
    const body: { data: AssetDetail[]; page_info: PageInfo } = paginate(rows.map(toAssetDetail), query);
    res.json(body);
  });

  router.get("/assets/:asset_id", (req, res) => {
    const { asset_id } = parseInput(AssetParams, req.params, "asset");
    const body: AssetDetail = toAssetDetail(getAsset(ctx, asset_id));
    res.json(body);
  });

  router.delete("/assets/:asset_id", async (req, res) => {
    const { asset_id } = parseInput(AssetParams, req.params, "asset");
    await deleteAsset(ctx, asset_id);
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

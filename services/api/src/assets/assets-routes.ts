import { rm } from "node:fs/promises";
import { Router } from "express";
import multer from "multer";
import { z } from "zod";
import { CreateAssetForm, PageQuery, pageInfo, repeatedQuery } from "@reelay/contract";
import { toAssetWire } from "@reelay/domain";
import { tenantOf } from "../http/auth.ts";
import { sendCreated } from "../http/created.ts";
import { parse } from "../http/validate.ts";
import { createAsset, type CreateAssetDeps } from "./create-asset.ts";
import { getAsset } from "./get-asset.ts";
import { listAssets } from "./list-assets.ts";

export const ListAssetsQuery = PageQuery.extend({
  filename: z.string().optional(),
  asset_ids: repeatedQuery(z.string()),
});
export const AssetParams = z.object({ asset_id: z.string() });

export function assetRoutes(deps: CreateAssetDeps & { maxUploadBytes: number }): Router {
  const router = Router();
  // Uploads stream to disk in the blob directory; the worker sends them upstream later.
  const upload = multer({ dest: deps.blobDir, limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 20, fieldSize: 64 * 1024 } }).single("file");

  router.post("/assets", upload, async (req, res) => {
    const file = req.file;
    try {
      const form = parse(CreateAssetForm, req.body ?? {}, "asset");
      const { asset, job } = await createAsset(deps, tenantOf(res), form, file);
      sendCreated(res, 201, job, toAssetWire(asset));
    } catch (error) {
      if (file) await rm(file.path, { force: true });
      throw error;
    }
  });

  router.get("/assets", async (req, res) => {
    const query = parse(ListAssetsQuery, req.query, "asset");
    const { rows, total } = await listAssets(deps.prisma, tenantOf(res), query);
    res.json({ data: rows.map(toAssetWire), page_info: pageInfo(query, total) });
  });

  router.get("/assets/:asset_id", async (req, res) => {
    const { asset_id } = parse(AssetParams, req.params, "asset");
    res.json(toAssetWire(await getAsset(deps.prisma, tenantOf(res), asset_id)));
  });

  return router;
}

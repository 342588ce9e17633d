import { basename, dirname, join } from "node:path";
import { notFound } from "@reelay/contract";
import { Router } from "express";
import type { Response } from "express";
import { z } from "zod";
import type { EmulatorContext } from "../context.ts";
import { parseInput } from "../http/parse-input.ts";
import type { DerivedMedia } from "../state/emulator-state.ts";
import { ASSET_MEDIA_ROUTES } from "./asset-media-urls.ts";

const ThumbnailParams = z.object({ file: z.string().regex(/^[0-9a-zA-Z_-]+\.jpg$/) });
const HlsParams = z.object({ asset_id: z.string().min(1), file: z.string().regex(/^[0-9a-zA-Z_-]+\.(m3u8|ts)$/) });

const CONTENT_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  m3u8: "application/vnd.apple.mpegurl",
  ts: "video/mp2t",
};

/**
 * Serves the thumbnails and HLS streams derived from assets, outside `/v1.3` and without an API
 * key, like the platform's CDN. Only what belongs to a live asset and is `ready` is served.
 */
export function assetMediaRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get(ASSET_MEDIA_ROUTES.thumbnail, (req, res) => {
    const { file } = parseInput(ThumbnailParams, req.params, "asset_media");
    const assetId = basename(file, ".jpg");
    sendDerived(res, ctx.state.assets.get(assetId)?.thumbnail, file, (media) => media);
  });

  router.get(ASSET_MEDIA_ROUTES.hls, (req, res) => {
    const { asset_id, file } = parseInput(HlsParams, req.params, "asset_media");
    sendDerived(res, ctx.state.assets.get(asset_id)?.hls, file, (manifest) => join(dirname(manifest), file));
  });

  return router;
}

function sendDerived(res: Response, media: DerivedMedia | undefined, file: string, pathOf: (producedPath: string) => string): void {
  if (media?.status !== "ready" || !media.path) throw notFound("asset_media", file, "asset media");
  const extension = file.slice(file.lastIndexOf(".") + 1);
  res.sendFile(pathOf(media.path), { headers: { "Content-Type": CONTENT_TYPES[extension] ?? "application/octet-stream" }, dotfiles: "deny" }, (error) => {
    if (error && !res.headersSent) res.status(404).json({ code: "resource_not_exist", message: `There is no media file ${file}.` });
  });
}

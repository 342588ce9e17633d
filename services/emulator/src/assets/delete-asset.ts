import { rm } from "node:fs/promises";
import { AppError } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { abandonUploadOf } from "../multipart-uploads/abandon-upload.ts";
import { hlsDir } from "./derive-media.ts";
import { getAsset } from "./get-asset.ts";

/**
 * Forgets the asset, its bytes and what was derived from it. Like the platform, it refuses (409)
 * while knowledge store items use the asset, unless `force`: then items already indexed keep what
 * they extracted, and items not yet indexed fail when they reach processing. An unfinished
 * multipart upload of the asset fails.
 */
export async function deleteAsset(ctx: EmulatorContext, assetId: string, options: { force: boolean }): Promise<void> {
  const asset = getAsset(ctx, assetId);
  const users = ctx.state.itemsUsing(asset.id);
  if (users.length > 0 && !options.force) {
    const shown = users.slice(0, 5).map((item) => `${item.id} (knowledge store ${item.storeId})`).join(", ");
    throw new AppError({
      code: "asset/in_use",
      platformCode: "asset_in_use",
      status: 409,
      message: `Asset ${asset.id} is used by ${users.length} knowledge store item(s): ${shown}${users.length > 5 ? ", ..." : ""}. Delete them first, or set force=true.`,
    });
  }
  ctx.state.assets.delete(asset.id);
  abandonUploadOf(ctx, asset.id);
  await Promise.all([
    asset.filePath ? rm(asset.filePath, { force: true }) : undefined,
    asset.thumbnail?.path ? rm(asset.thumbnail.path, { force: true }) : undefined,
    rm(hlsDir(ctx, asset.id), { recursive: true, force: true }),
  ]);
}

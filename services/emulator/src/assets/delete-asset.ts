import { rm } from "node:fs/promises";
import type { EmulatorContext } from "../context.ts";
import { getAsset } from "./get-asset.ts";

/**
 * Forgets the asset and its bytes. Items already made from it keep what they extracted; items
 * not yet indexed fail when they reach processing.
 */
export async function deleteAsset(ctx: EmulatorContext, assetId: string): Promise<void> {
  const asset = getAsset(ctx, assetId);
  ctx.state.assets.delete(asset.id);
  if (asset.filePath) await rm(asset.filePath, { force: true });
}

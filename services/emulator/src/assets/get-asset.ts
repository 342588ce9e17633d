import { notFound } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import type { AssetRecord } from "../state/emulator-state.ts";

export function getAsset(ctx: EmulatorContext, assetId: string): AssetRecord {
  const asset = ctx.state.assets.get(assetId);
  if (!asset) throw notFound("asset", assetId);
  return asset;
}

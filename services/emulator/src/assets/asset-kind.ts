import { mediaTypeForName } from "@reelay/contract";
import type { AssetKind, AssetRecord } from "../state/emulator-state.ts";

/**
 * What the asset is: the probed kind once known, else the type declared for a multipart upload,
 * else what its MIME type or file extension suggests (undefined when nothing does).
 */
export function assetKind(asset: AssetRecord): AssetKind | undefined {
  if (asset.facts) return asset.facts.kind;
  if (asset.declaredKind) return asset.declaredKind;
  const mime = asset.fileType ?? mediaTypeForName(asset.filename);
  const family = mime?.split("/")[0];
  return family === "video" || family === "audio" || family === "image" ? family : undefined;
}

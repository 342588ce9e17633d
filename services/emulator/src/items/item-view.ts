import type { KnowledgeStoreItem } from "@reelay/contract";
import type { ItemRecord } from "../state/emulator-state.ts";

type VideoSystemMetadata = { asset_type: "video"; filename: string; duration?: number; fps?: number; width?: number; height?: number; codec_name?: string; size: number };
type ImageSystemMetadata = { asset_type: "image"; filename: string; width?: number; height?: number; codec_name?: string; size: number };

/**
 * The wire item. A failed item also carries `error.message`: no spec declares it, but the docs tell
 * users to "check error" and the SDK keeps unknown fields, so the reason reaches them.
 */
export function toItem(item: ItemRecord): Omit<KnowledgeStoreItem, "system_metadata"> & {
  system_metadata: VideoSystemMetadata | ImageSystemMetadata;
  error?: { message: string };
} {
  return {
    _id: item.id,
    asset_id: item.assetId,
    asset_type: item.assetType,
    status: item.status,
    system_metadata: systemMetadata(item),
    metadata: item.metadata,
    created_at: item.createdAt.toISOString(),
    updated_at: item.updatedAt.toISOString(),
    error: item.status === "failed" ? { message: item.failure ?? "indexing failed" } : undefined,
  };
}

function systemMetadata(item: ItemRecord): VideoSystemMetadata | ImageSystemMetadata {
  const video = item.facts.video[0];
  const common = { filename: item.filename, width: video?.width, height: video?.height, codec_name: video?.codec, size: item.facts.sizeBytes };
  if (item.assetType === "image") return { asset_type: "image", ...common };
  return { asset_type: "video", ...common, duration: item.facts.durationSec, fps: video?.fps };
}

import type { AssetEventData } from "@reelay/contract";
import type { Asset } from "@reelay/db";
import type { z } from "zod";

export type AssetWire = z.infer<typeof AssetEventData>;

/** The platform's AssetDetail shape for a stored asset, plus Reelay's `job_id`. */
export function toAssetWire(asset: Asset): AssetWire {
  const hls = rendition(asset, asset.enableHls, asset.hls);
  const thumbnail = rendition(asset, asset.enableThumbnail, asset.thumbnail);
  return {
    _id: asset.id,
    method: asset.method as AssetWire["method"],
    status: asset.status,
    ...(asset.filename ? { filename: asset.filename } : {}),
    ...(asset.fileType ? { file_type: asset.fileType } : {}),
    created_at: asset.createdAt.toISOString(),
    ...(asset.userMetadata ? { user_metadata: asset.userMetadata as AssetWire["user_metadata"] } : {}),
    ...(hls ? { hls: hls as AssetWire["hls"] } : {}),
    ...(thumbnail ? { thumbnail: thumbnail as AssetWire["thumbnail"] } : {}),
    ...(asset.technicalMetadata && asset.status !== "processing" ? { technical_metadata: asset.technicalMetadata as Record<string, unknown> } : {}),
    ...(asset.size !== null ? { size: Number(asset.size) } : {}),
    ...(asset.duration !== null ? { duration: asset.duration } : {}),
    ...(asset.status === "failed" ? { error: { message: asset.errorMessage ?? "The asset could not be processed." } } : {}),
    job_id: asset.jobId,
  };
}

/**
 * A rendition (`hls`, `thumbnail`) as the platform last reported it, URLs untouched. Before it
 * reported one, a requested rendition shows what the platform shows then: `pending` while the asset
 * processes, `error` once it failed; a ready asset without one is a kind the platform ignores the
 * flag for (HLS of an image), and the field is absent, as there.
 */
function rendition(asset: Asset, requested: boolean, reported: Asset["hls"]): unknown {
  if (reported && typeof reported === "object") return reported;
  if (!requested) return undefined;
  if (asset.status === "processing") return { status: "pending" };
  if (asset.status === "failed") return { status: "error" };
  return undefined;
}

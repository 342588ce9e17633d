import type { AssetEventData } from "@reelay/contract";
import type { Asset } from "@reelay/db";
import type { z } from "zod";

export type AssetWire = z.infer<typeof AssetEventData>;

/** The platform's AssetDetail shape for a stored asset, plus Reelay's `job_id`. */
export function toAssetWire(asset: Asset): AssetWire {
  return {
    _id: asset.id,
    method: asset.method as AssetWire["method"],
    status: asset.status,
    ...(asset.filename ? { filename: asset.filename } : {}),
    ...(asset.fileType ? { file_type: asset.fileType } : {}),
    created_at: asset.createdAt.toISOString(),
    ...(asset.userMetadata ? { user_metadata: asset.userMetadata as AssetWire["user_metadata"] } : {}),
    ...(asset.technicalMetadata && asset.status !== "processing" ? { technical_metadata: asset.technicalMetadata as Record<string, unknown> } : {}),
    ...(asset.size !== null ? { size: Number(asset.size) } : {}),
    ...(asset.duration !== null ? { duration: asset.duration } : {}),
    ...(asset.status === "failed" ? { error: { message: asset.errorMessage ?? "The asset could not be processed." } } : {}),
    job_id: asset.jobId,
  };
}

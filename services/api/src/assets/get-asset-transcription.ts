import { AppError } from "@reelay/contract";
import type { AssetTranscription } from "@reelay/db";
import { createTranscriptionRecord } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";
import type { AssetDeps } from "./delete-asset.ts";
import { getAsset, lockAsset } from "./get-asset.ts";

/**
 * The asset's transcription as Reelay keeps it. The first request records it `pending` with the
 * `asset.transcribe` job that asks the platform (once the asset is ready) and keeps its answer;
 * later ones read the row. 404 when the asset does not exist, failed, or the platform has no
 * transcription of it (an image, no speech track).
 */
export async function getAssetTranscription(deps: AssetDeps, tenantId: string, assetId: string): Promise<AssetTranscription> {
  const asset = await getAsset(deps.prisma, tenantId, assetId);
  if (asset.status === "failed") throw noTranscription(`Asset ${assetId} has no transcription: its upload failed.`);
  let transcription = await deps.prisma.assetTranscription.findUnique({ where: { assetId } });
  if (!transcription) {
    const created = await deps.prisma.$transaction(async (tx) => {
      await lockAsset(tx, tenantId, assetId);
      return createTranscriptionRecord(tx, { tenantId, assetId });
    });
    if (created.job) await dispatchAfterCommit(deps.queue, created.job, (error) => deps.log(`asset ${assetId}: dispatch deferred to the reconciler`, error));
    transcription = created.transcription;
  }
  if (transcription.status === "none") throw noTranscription(transcription.errorMessage ?? `Asset ${assetId} has no transcription.`);
  return transcription;
}

function noTranscription(message: string): AppError {
  return new AppError({ code: "asset_transcription/not_found", platformCode: "resource_not_exist", status: 404, message });
}

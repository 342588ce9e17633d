import { newId } from "@reelay/contract";
import type { Asset, Db, Job, Prisma } from "@reelay/db";
import { toAssetWire } from "../wire/asset-wire.ts";
import { createJob } from "./jobs.ts";
import { appendEvent } from "./outbox.ts";
import { applyJobEffect, type JobEffect } from "./resource-job.ts";
import { conditionally } from "./stale-state.ts";

/** A new asset (`processing`) with its ingest job and their events. */
export async function createAssetRecord(tx: Db, data: Omit<Prisma.AssetUncheckedCreateInput, "jobId" | "version" | "status">): Promise<{ asset: Asset; job: Job }> {
  const jobId = newId("job");
  const asset = await tx.asset.create({ data: { ...data, jobId, version: 1 } });
  const job = await createJob(tx, { id: jobId, tenantId: asset.tenantId, type: "asset.ingest", resourceId: asset.id, resourceStatus: asset.status });
  await appendEvent(tx, { type: "asset.created", tenantId: asset.tenantId, resourceId: asset.id, sequence: 1, jobId, data: toAssetWire(asset) });
  return { asset, job };
}

export interface AssetOutcome {
  status: "ready" | "failed";
  errorMessage?: string | null;
  fileType?: string;
  size?: bigint;
  duration?: number;
  technicalMetadata?: Prisma.InputJsonValue;
}

/** A processing asset becomes ready or failed (refused once it is not processing any more). */
export async function finishAsset(tx: Db, assetId: string, outcome: AssetOutcome, job?: JobEffect): Promise<{ asset: Asset; job: Job | undefined }> {
  const asset = await conditionally("asset", assetId, () =>
    tx.asset.update({
      where: { id: assetId, status: "processing" },
      data: {
        status: outcome.status,
        errorMessage: outcome.status === "failed" ? (outcome.errorMessage ?? null) : null,
        ...(outcome.fileType ? { fileType: outcome.fileType } : {}),
        ...(outcome.size !== undefined ? { size: outcome.size } : {}),
        ...(outcome.duration !== undefined ? { duration: outcome.duration } : {}),
        ...(outcome.technicalMetadata !== undefined ? { technicalMetadata: outcome.technicalMetadata } : {}),
        version: { increment: 1 },
      },
    }),
  );
  await appendEvent(tx, { type: `asset.${outcome.status}`, tenantId: asset.tenantId, resourceId: asset.id, sequence: asset.version, jobId: asset.jobId, data: toAssetWire(asset) });
  return { asset, job: await applyJobEffect(tx, job, asset.status) };
}

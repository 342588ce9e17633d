import { newId } from "@reelay/contract";
import { Prisma, type Asset, type Db, type Job } from "@reelay/db";
import { toAssetWire } from "../wire/asset-wire.ts";
import { createJob } from "./jobs.ts";
import { ensureOpenJob } from "./open-job.ts";
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
  /** The platform's `hls` and `thumbnail` objects as it reported them (present when asked for). */
  hls?: Prisma.InputJsonValue;
  thumbnail?: Prisma.InputJsonValue;
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
        ...(outcome.hls !== undefined ? { hls: outcome.hls } : {}),
        ...(outcome.thumbnail !== undefined ? { thumbnail: outcome.thumbnail } : {}),
        version: { increment: 1 },
      },
    }),
  );
  await appendEvent(tx, { type: `asset.${outcome.status}`, tenantId: asset.tenantId, resourceId: asset.id, sequence: asset.version, jobId: asset.jobId, data: toAssetWire(asset) });
  return { asset, job: await applyJobEffect(tx, job, asset.status) };
}

/** What the platform reports of a ready asset's renditions; an absent field stays as it was. */
export interface AssetRenditions {
  hls?: Prisma.InputJsonValue;
  thumbnail?: Prisma.InputJsonValue;
}

/** A ready asset's HLS stream or thumbnail moved on (`asset.updated`), as the platform reported it. */
export async function changeAssetRenditions(tx: Db, assetId: string, renditions: AssetRenditions, job?: JobEffect): Promise<{ asset: Asset; job: Job | undefined }> {
  const asset = await conditionally("asset", assetId, () =>
    tx.asset.update({
      where: { id: assetId, status: "ready", deletedAt: null },
      data: {
        ...(renditions.hls !== undefined ? { hls: renditions.hls } : {}),
        ...(renditions.thumbnail !== undefined ? { thumbnail: renditions.thumbnail } : {}),
        version: { increment: 1 },
      },
    }),
  );
  await appendEvent(tx, { type: "asset.updated", tenantId: asset.tenantId, resourceId: asset.id, sequence: asset.version, jobId: asset.jobId, data: toAssetWire(asset) });
  return { asset, job: await applyJobEffect(tx, job, asset.status) };
}

/**
 * The tenant changed the asset's user metadata (`null`: it has none any more): `asset.updated`,
 * and the `asset.sync_metadata` job that pushes it to the platform's copy. One open sync job per
 * asset pushes the latest state: a change made while one is open joins it, and that job, as it
 * finishes, checks under the same row lock that what it pushed is still current. So call this
 * with the asset row locked (`SELECT … FOR UPDATE`) from before the metadata is read.
 */
export async function changeAssetUserMetadata(tx: Db, assetId: string, userMetadata: Record<string, string | number | boolean> | null): Promise<{ asset: Asset; job: Job; created: boolean }> {
  const asset = await conditionally("asset", assetId, () =>
    tx.asset.update({ where: { id: assetId, deletedAt: null }, data: { userMetadata: userMetadata ?? Prisma.DbNull, version: { increment: 1 } } }),
  );
  const { job, created } = await ensureOpenJob(tx, { tenantId: asset.tenantId, type: "asset.sync_metadata", resourceId: asset.id, resourceStatus: asset.status });
  await appendEvent(tx, { type: "asset.updated", tenantId: asset.tenantId, resourceId: asset.id, sequence: asset.version, jobId: job.id, data: { ...toAssetWire(asset), job_id: job.id } });
  return { asset, job, created };
}

/**
 * A sync job pushed `pushed`: it ends (with `job`'s change) only if that is still the asset's
 * metadata, read under the row lock a concurrent change takes first; otherwise it stays open to
 * push again, and `current` is false.
 */
export async function finishUserMetadataSync(tx: Db, assetId: string, pushed: unknown, job: JobEffect): Promise<{ job: Job | undefined; current: boolean }> {
  const rows = await tx.$queryRaw<Array<{ user_metadata: unknown; status: string }>>`SELECT "user_metadata", "status"::text FROM "assets" WHERE "id" = ${assetId} FOR UPDATE`;
  const row = rows[0];
  if (row && !sameJson(row.user_metadata ?? null, pushed ?? null)) return { job: undefined, current: false };
  return { job: await applyJobEffect(tx, job, row?.status ?? "deleted"), current: true };
}

/** Deep equality of JSON values, whatever the order of object keys. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

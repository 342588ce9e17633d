import { newId } from "@reelay/contract";
import type { AssetTranscription, Db, Job, Prisma } from "@reelay/db";
import { createJob } from "./jobs.ts";
import { applyJobEffect, type JobEffect } from "./resource-job.ts";
import { conditionally } from "./stale-state.ts";

/**
 * A transcription's status: the platform's four, plus `none` when the platform has none for the
 * asset (an image, no speech track: it answers 404, and so does Reelay).
 */
export type TranscriptionStatus = "pending" | "processing" | "ready" | "failed" | "none";
export const openTranscriptionStatuses: readonly TranscriptionStatus[] = ["pending", "processing"];
export const isOpenTranscription = (status: string | undefined): boolean => status === "pending" || status === "processing";

/**
 * The first request for an asset's transcription: a `pending` row and the `asset.transcribe`
 * job that fetches it. Concurrent first requests make one row and one job (`job` is undefined for
 * the ones that found it made).
 */
export async function createTranscriptionRecord(tx: Db, input: { tenantId: string; assetId: string }): Promise<{ transcription: AssetTranscription; job: Job | undefined }> {
  const jobId = newId("job");
  const { count } = await tx.assetTranscription.createMany({ data: [{ assetId: input.assetId, tenantId: input.tenantId, status: "pending", jobId }], skipDuplicates: true });
  const job = count === 1 ? await createJob(tx, { id: jobId, tenantId: input.tenantId, type: "asset.transcribe", resourceId: input.assetId, resourceStatus: "pending" }) : undefined;
  return { transcription: await tx.assetTranscription.findUniqueOrThrow({ where: { assetId: input.assetId } }), job };
}

export interface TranscriptionChange {
  status: Exclude<TranscriptionStatus, "pending">;
  /** The platform's answer with every segmentation, in wire form. */
  body?: Prisma.InputJsonValue;
  errorMessage?: string;
}

/** A transcription moves on (processing → ready | failed | none); refused once it has ended. */
export async function changeTranscription(tx: Db, assetId: string, change: TranscriptionChange, job?: JobEffect): Promise<{ transcription: AssetTranscription; job: Job | undefined }> {
  const transcription = await conditionally("asset_transcription", assetId, () =>
    tx.assetTranscription.update({
      where: { assetId, status: { in: [...openTranscriptionStatuses] } },
      data: {
        status: change.status,
        ...(change.body !== undefined ? { body: change.body } : {}),
        ...(change.errorMessage !== undefined ? { errorMessage: change.errorMessage } : {}),
      },
    }),
  );
  return { transcription, job: await applyJobEffect(tx, job, transcription.status) };
}

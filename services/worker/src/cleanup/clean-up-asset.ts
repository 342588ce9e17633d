import { rm } from "node:fs/promises";
import path from "node:path";
import { jobSucceeded } from "@reelay/domain";
import { PlatformError } from "../platform/platform-error.ts";
import { createInFlight, finished, type StepHandler } from "../steps/step.ts";

/** A 404 on delete: already gone, which is what we wanted. */
export function alreadyGone(error: unknown): boolean {
  return error instanceof PlatformError && error.status === 404;
}

/**
 * After an ingest failed or was cancelled: deletes the waiting upload from disk and the platform's
 * copy of the asset, including one a crashed run created without learning its id (looked up by
 * its stamp once any create in flight has surely landed).
 */
export const cleanUpAsset: StepHandler<"asset.cleanup"> = {
  type: "asset.cleanup",

  async run(ctx, { assetId }) {
    const asset = await ctx.prisma.asset.findUnique({ where: { id: assetId } });
    if (asset?.blobKey) await rm(path.join(ctx.blobDir, asset.blobKey), { force: true });
    let upstreamId = asset?.upstreamId;
    if (asset && !upstreamId) {
      const ingest = await ctx.prisma.job.findFirst({ where: { type: "asset.ingest", resourceId: assetId }, orderBy: { createdAt: "desc" }, select: { createSentAt: true } });
      if (ingest?.createSentAt) {
        const inFlightMs = ctx.createInFlightMs(ingest.createSentAt, Boolean(asset.blobKey));
        if (inFlightMs > 0) return createInFlight(inFlightMs);
        upstreamId = (await ctx.platform.findAsset(asset.id, asset.filename ?? undefined, ingest.createSentAt))?._id;
      }
    }
    if (upstreamId) await ctx.platform.deleteAsset(upstreamId).catch((error: unknown) => {
      if (!alreadyGone(error)) throw error;
    });
    await ctx.finish(jobSucceeded());
    return finished;
  },
};

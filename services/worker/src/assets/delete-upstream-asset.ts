import { rm } from "node:fs/promises";
import path from "node:path";
import { jobSucceeded } from "@reelay/domain";
import { alreadyGone } from "../cleanup/clean-up-asset.ts";
import { PlatformError } from "../platform/platform-error.ts";
import { createInFlight, finished, pollRemote, type StepHandler } from "../steps/step.ts";

/**
 * After the tenant deleted an asset: deletes its waiting upload from disk and the platform's copy,
 * including one an ingest (crashed, or cancelled by the delete) sent the create of without learning
 * its id: looked up by its stamp once that create has surely landed. A 404 is success.
 *
 * `force` is the tenant's, read from what it left: a delete without force is refused while any item
 * uses the asset, so items still using it (the indexed ones a forced delete keeps) mean it was
 * forced. Without force, the platform may still answer 409 for a moment, for Reelay's own deleted
 * items whose platform copies are still on their way out: that is waited out, not a failure.
 */
export const deleteUpstreamAsset: StepHandler<"asset.delete"> = {
  type: "asset.delete",

  async run(ctx, { assetId }) {
    const asset = await ctx.prisma.asset.findUnique({ where: { id: assetId } });
    if (asset?.blobKey) await rm(path.join(ctx.blobDir, asset.blobKey), { force: true });
    let upstreamId = asset?.upstreamId ?? reservedUpstreamId(asset?.upstreamUpload);
    if (asset && !upstreamId) {
      const ingest = await ctx.prisma.job.findFirst({ where: { type: "asset.ingest", resourceId: assetId }, orderBy: { createdAt: "desc" }, select: { createSentAt: true } });
      if (ingest?.createSentAt) {
        const inFlightMs = ctx.createInFlightMs(ingest.createSentAt, Boolean(asset.blobKey));
        // The ingest records the id when its create returns; the next run reads it.
        if (inFlightMs > 0) return createInFlight(inFlightMs);
        upstreamId = (await ctx.platform.findAsset(asset.id, asset.filename ?? undefined, ingest.createSentAt))?._id;
      }
    }
    if (upstreamId) {
      const force = (await ctx.prisma.knowledgeStoreItem.count({ where: { assetId, deletedAt: null } })) > 0;
      try {
        await ctx.platform.deleteAsset(upstreamId, { force });
      } catch (error) {
        if (!force && error instanceof PlatformError && error.status === 409) return pollRemote("await_items_deleted");
        if (!alreadyGone(error)) throw error;
      }
    }
    await ctx.finish(jobSucceeded());
    return finished;
  },
};

/** The platform asset id a multipart upload to the platform reserved (`upstream_upload.asset_id`), if any. */
function reservedUpstreamId(upload: unknown): string | undefined {
  const id = upload && typeof upload === "object" ? (upload as { asset_id?: unknown }).asset_id : undefined;
  return typeof id === "string" && id ? id : undefined;
}

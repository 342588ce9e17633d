import { finishUserMetadataSync, jobSucceeded } from "@reelay/domain";
import { awaitDependency, finished, type StepHandler } from "../steps/step.ts";

/**
 * Pushes the asset's user metadata, as it is now, to the platform's copy (a replace, with Reelay's
 * `reelay_id` stamp kept, so recovery still finds the asset). The job ends only if what it pushed is
 * still the asset's metadata; a change made meanwhile joined this job, which pushes again.
 */
export const syncAssetMetadata: StepHandler<"asset.sync_metadata"> = {
  type: "asset.sync_metadata",

  async run(ctx, { assetId }) {
    const asset = await ctx.prisma.asset.findUnique({ where: { id: assetId } });
    // Deleting the asset cancels this job.
    if (!asset || asset.deletedAt) return finished;
    if (!asset.upstreamId && asset.status === "processing") return awaitDependency("await_asset");
    if (!asset.upstreamId || asset.status === "failed") {
      // Nothing on the platform to update (or only a copy its cleanup removes): the metadata is Reelay's.
      await ctx.finish(jobSucceeded());
      return finished;
    }
    const pushed = asset.userMetadata;
    await ctx.platform.replaceAssetUserMetadata(asset.upstreamId, asset.id, (pushed as Record<string, unknown> | null) ?? undefined);
    let current = true;
    await ctx.commit(async (tx, job) => {
      const result = await finishUserMetadataSync(tx, asset.id, pushed, job(jobSucceeded()));
      current = result.current;
      return result;
    });
    // Changed while this push was on its way: push the latest at once.
    return current ? finished : { done: false, stage: "push_metadata", remote: false, waitMs: 0 };
  },
};

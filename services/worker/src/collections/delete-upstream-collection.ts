import { jobSucceeded } from "@reelay/domain";
import { alreadyGone } from "../cleanup/clean-up-asset.ts";
import { lastCreateSentAt } from "../steps/create-sent.ts";
import { createInFlight, finished, type StepHandler } from "../steps/step.ts";

/**
 * Deletes the platform's copy of a deleted collection (its items stay), including one a sync
 * created without Reelay learning its id, found by its stamp. A 404 is success; a store deleted
 * since takes its collections along.
 */
export const deleteUpstreamCollection: StepHandler<"collection.delete"> = {
  type: "collection.delete",

  async run(ctx, { collectionId }) {
    const collection = await ctx.prisma.itemCollection.findUnique({ where: { id: collectionId }, include: { knowledgeStore: { select: { upstreamId: true, deletedAt: true } } } });
    const storeUpstreamId = collection?.knowledgeStore.deletedAt ? undefined : collection?.knowledgeStore.upstreamId;
    if (collection && storeUpstreamId) {
      let upstreamId = collection.upstreamId;
      if (!upstreamId) {
        const sentAt = await lastCreateSentAt(ctx.prisma, "collection.sync", collection.id);
        if (sentAt) upstreamId = (await ctx.platform.findCollection(storeUpstreamId, collection.id, sentAt))?._id ?? null;
        if (sentAt && !upstreamId) {
          const inFlightMs = ctx.createInFlightMs(sentAt);
          if (inFlightMs > 0) return createInFlight(inFlightMs);
        }
      }
      if (upstreamId) {
        await ctx.platform.deleteCollection(storeUpstreamId, upstreamId).catch((error: unknown) => {
          if (!alreadyGone(error)) throw error;
        });
      }
    }
    await ctx.finish(jobSucceeded());
    return finished;
  },
};

import { jobSucceeded } from "@reelay/domain";
import { alreadyGone } from "../cleanup/clean-up-asset.ts";
import { createInFlight, finished, type StepHandler } from "../steps/step.ts";
import { locateUpstreamItem } from "./locate-upstream-item.ts";

/**
 * Deletes the platform's copy of a deleted item (which also takes it out of the platform's
 * collections), found by its stamp when its indexing was cut short. It replaces the item's cleanup
 * (the delete cancelled it), and does nothing when a cleanup already removed the copy. A 404 is
 * success.
 */
export const deleteUpstreamItem: StepHandler<"item.delete"> = {
  type: "item.delete",

  async run(ctx, { itemId }) {
    const item = await ctx.prisma.knowledgeStoreItem.findUnique({ where: { id: itemId }, include: { knowledgeStore: { select: { upstreamId: true } } } });
    const storeUpstreamId = item?.knowledgeStore.upstreamId;
    const cleanedUp = await ctx.prisma.job.count({ where: { type: "item.cleanup", resourceId: itemId, status: "succeeded" } });
    if (item && storeUpstreamId && cleanedUp === 0) {
      const located = await locateUpstreamItem(ctx, item, storeUpstreamId);
      if (located.inFlightMs) return createInFlight(located.inFlightMs);
      if (located.upstreamId) {
        await ctx.platform.deleteItem(storeUpstreamId, located.upstreamId).catch((error: unknown) => {
          if (!alreadyGone(error)) throw error;
        });
      }
    }
    await ctx.finish(jobSucceeded());
    return finished;
  },
};

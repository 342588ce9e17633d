import { jobSucceeded } from "@reelay/domain";
import { locateUpstreamItem } from "../items/locate-upstream-item.ts";
import { createInFlight, finished, type StepHandler } from "../steps/step.ts";
import { alreadyGone } from "./clean-up-asset.ts";

/** After indexing failed or was cancelled: deletes the platform's copy of the item, if it has one. */
export const cleanUpItem: StepHandler<"item.cleanup"> = {
  type: "item.cleanup",

  async run(ctx, { itemId }) {
    const item = await ctx.prisma.knowledgeStoreItem.findUnique({ where: { id: itemId }, include: { knowledgeStore: { select: { upstreamId: true } } } });
    const storeUpstreamId = item?.knowledgeStore.upstreamId;
    if (item && storeUpstreamId) {
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

import { jobSucceeded } from "@reelay/domain";
import { createInFlight, finished, type StepHandler } from "../steps/step.ts";
import { alreadyGone } from "./clean-up-asset.ts";

/** After indexing failed or was cancelled: deletes the platform's copy of the item, if it has one. */
export const cleanUpItem: StepHandler<"item.cleanup"> = {
  type: "item.cleanup",

  async run(ctx, { itemId }) {
    const item = await ctx.prisma.knowledgeStoreItem.findUnique({ where: { id: itemId }, include: { knowledgeStore: { select: { upstreamId: true } } } });
    const storeUpstreamId = item?.knowledgeStore.upstreamId;
    let upstreamId = item?.upstreamId;
    if (item && storeUpstreamId && !upstreamId) {
      const index = await ctx.prisma.job.findFirst({ where: { type: "item.index", resourceId: itemId }, orderBy: { createdAt: "desc" }, select: { createSentAt: true } });
      if (index?.createSentAt) {
        const inFlightMs = ctx.createInFlightMs(index.createSentAt);
        if (inFlightMs > 0) return createInFlight(inFlightMs);
        upstreamId = (await ctx.platform.findItem(storeUpstreamId, item.id, index.createSentAt))?._id;
      }
    }
    if (upstreamId && storeUpstreamId) await ctx.platform.deleteItem(storeUpstreamId, upstreamId).catch((error: unknown) => {
      if (!alreadyGone(error)) throw error;
    });
    await ctx.finish(jobSucceeded());
    return finished;
  },
};

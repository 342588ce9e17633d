import { jobSucceeded } from "@reelay/domain";
import { locateUpstreamItem } from "../items/locate-upstream-item.ts";
import { createInFlight, finished, type StepContext, type StepHandler, type StepOutcome } from "../steps/step.ts";
import { alreadyGone } from "./clean-up-asset.ts";

/** After indexing failed or was cancelled: deletes the platform's copy of the item, if it has one. */
export const cleanUpItem: StepHandler<"item.cleanup"> = {
  type: "item.cleanup",
  run: (ctx, { itemId }) => deleteUpstreamCopy(ctx, itemId),
};

/**
 * Deletes the platform's copy of an item, found by its stamp when its indexing was cut short (a
 * 404 is success), then ends the job; or waits while the item's create may still be in flight.
 */
export async function deleteUpstreamCopy(ctx: StepContext, itemId: string, options: { skip?: boolean } = {}): Promise<StepOutcome> {
  const item = await ctx.prisma.knowledgeStoreItem.findUnique({ where: { id: itemId }, include: { knowledgeStore: { select: { upstreamId: true } } } });
  const storeUpstreamId = item?.knowledgeStore.upstreamId;
  if (item && storeUpstreamId && !options.skip) {
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
}

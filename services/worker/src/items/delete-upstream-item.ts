import { deleteUpstreamCopy } from "../cleanup/clean-up-item.ts";
import type { StepHandler } from "../steps/step.ts";

/**
 * Deletes the platform's copy of a deleted item (which also takes it out of the platform's
 * collections), found by its stamp when its indexing was cut short. It replaces the item's cleanup
 * (the delete cancelled it), and does nothing when a cleanup already removed the copy. A 404 is
 * success.
 */
export const deleteUpstreamItem: StepHandler<"item.delete"> = {
  type: "item.delete",

  async run(ctx, { itemId }) {
    const cleanedUp = await ctx.prisma.job.count({ where: { type: "item.cleanup", resourceId: itemId, status: "succeeded" } });
    return deleteUpstreamCopy(ctx, itemId, { skip: cleanedUp > 0 });
  },
};

import { jobSucceeded } from "@reelay/domain";
import { alreadyGone } from "../cleanup/clean-up-asset.ts";
import { lastCreateSentAt } from "../steps/create-sent.ts";
import { createInFlight, finished, type StepHandler } from "../steps/step.ts";

/**
 * Deletes the platform's copy of a deleted store (the platform deletes its items and collections
 * with it), including one a cancelled or crashed create made without Reelay learning its id:
 * looked up by its stamp (again once any create in flight has surely landed). A 404 is success.
 */
export const deleteUpstreamKnowledgeStore: StepHandler<"knowledge_store.delete"> = {
  type: "knowledge_store.delete",

  async run(ctx, { knowledgeStoreId }) {
    const store = await ctx.prisma.knowledgeStore.findUnique({ where: { id: knowledgeStoreId } });
    let upstreamId = store?.upstreamId;
    if (store && !upstreamId) {
      const sentAt = await lastCreateSentAt(ctx.prisma, "knowledge_store.create", store.id);
      // Look at once (usually the create landed); not there while it may still be in flight: look again later.
      if (sentAt) upstreamId = (await ctx.platform.findKnowledgeStore(store.id, sentAt))?._id;
      if (sentAt && !upstreamId) {
        const inFlightMs = ctx.createInFlightMs(sentAt);
        if (inFlightMs > 0) return createInFlight(inFlightMs);
      }
    }
    if (upstreamId) {
      await ctx.platform.deleteKnowledgeStore(upstreamId).catch((error: unknown) => {
        if (!alreadyGone(error)) throw error;
      });
    }
    await ctx.finish(jobSucceeded());
    return finished;
  },
};

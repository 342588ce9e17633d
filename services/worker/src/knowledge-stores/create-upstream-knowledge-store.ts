import { finishKnowledgeStore, jobSucceeded } from "@reelay/domain";
import { createInFlight, finished, type StepHandler } from "../steps/step.ts";

/** Creates the knowledge store upstream exactly once and records its upstream id. */
export const createUpstreamKnowledgeStore: StepHandler<"knowledge_store.create"> = {
  type: "knowledge_store.create",

  async run(ctx, { knowledgeStoreId }) {
    const store = await ctx.prisma.knowledgeStore.findUnique({ where: { id: knowledgeStoreId } });
    if (!store || store.syncStatus !== "pending") return finished;

    const sentAt = ctx.job.createSentAt;
    let upstreamId = store.upstreamId ?? (sentAt ? (await ctx.platform.findKnowledgeStore(store.id, sentAt))?._id : undefined);
    if (!upstreamId && sentAt) {
      const inFlightMs = ctx.createInFlightMs(sentAt);
      if (inFlightMs > 0) return createInFlight(inFlightMs);
    }
    if (!upstreamId) {
      await ctx.markCreateSent();
      const created = await ctx.platform.createKnowledgeStore({
        reelayId: store.id,
        name: store.name,
        description: store.description ?? undefined,
        metadata: (store.metadata as Record<string, string> | null) ?? undefined,
        // Stored in wire form (the tagged enrichment config) and sent as is: a JSON schema's own
        // property names are the caller's and are never renamed.
        ingestionConfig: store.ingestionConfig ?? undefined,
      });
      upstreamId = created._id;
    }

    // Items and questions waiting for the store are woken by its knowledge_store.synced event.
    await ctx.commit((tx, job) => finishKnowledgeStore(tx, store.id, { syncStatus: "synced", upstreamId }, job(jobSucceeded())));
    return finished;
  },
};

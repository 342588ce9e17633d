import { finishKnowledgeStoreUpdate, jobCancelledByDeletion, jobSucceeded } from "@reelay/domain";
import { awaitDependency, finished, progressed, type StepHandler } from "../steps/step.ts";

/**
 * Pushes the store's name, description and metadata (its latest version, with Reelay's stamp) to
 * the platform's copy, then ends only if the store did not change meanwhile: an update committed
 * while this job was open relies on it, so the job pushes again instead of losing it.
 */
export const updateUpstreamKnowledgeStore: StepHandler<"knowledge_store.update"> = {
  type: "knowledge_store.update",

  async run(ctx, { knowledgeStoreId }) {
    const store = await ctx.prisma.knowledgeStore.findUnique({ where: { id: knowledgeStoreId } });
    if (!store || store.deletedAt) {
      await ctx.finish(jobCancelledByDeletion(`The knowledge store ${knowledgeStoreId}`));
      return finished;
    }
    // The store never made it to the platform: there is nothing to update there.
    if (store.syncStatus === "failed") {
      await ctx.finish({ ...jobSucceeded(), stage: "nothing_to_push" });
      return finished;
    }
    // Its knowledge_store.synced event wakes this job (the create sends the latest fields anyway).
    if (!store.upstreamId) return awaitDependency("await_knowledge_store");

    await ctx.platform.updateKnowledgeStore(store.upstreamId, {
      reelayId: store.id,
      name: store.name,
      description: store.description ?? undefined,
      metadata: (store.metadata as Record<string, string> | null) ?? undefined,
    });
    let current = false;
    await ctx.commit(async (tx, job) => {
      const outcome = await finishKnowledgeStoreUpdate(tx, store.id, store.version, job(jobSucceeded()));
      current = outcome.current;
      return outcome;
    });
    return current ? finished : progressed("push_update");
  },
};

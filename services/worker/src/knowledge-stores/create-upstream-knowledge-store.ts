import type { TwelvelabsApi } from "twelvelabs-js";
import { finishKnowledgeStore, jobSucceeded } from "@reelay/domain";
import { toSdkCase } from "../platform/wire-case.ts";
import { finished, type StepHandler } from "../steps/step.ts";

/** Creates the knowledge store upstream exactly once and records its upstream id. */
export const createUpstreamKnowledgeStore: StepHandler<"knowledge_store.create"> = {
  type: "knowledge_store.create",

  async run(ctx, { knowledgeStoreId }) {
    const store = await ctx.prisma.knowledgeStore.findUnique({ where: { id: knowledgeStoreId } });
    if (!store || store.syncStatus !== "pending") return finished;

    let upstreamId = store.upstreamId ?? (ctx.job.createSentAt ? (await ctx.platform.findKnowledgeStore(store.id))?.id : undefined);
    if (!upstreamId) {
      await ctx.markCreateSent();
      const created = await ctx.platform.createKnowledgeStore({
        reelayId: store.id,
        name: store.name,
        description: store.description ?? undefined,
        metadata: (store.metadata as Record<string, string> | null) ?? undefined,
        // Stored in the wire's snake_case; the SDK takes camelCase (nested JSON schemas included,
        // whose property names it does not rename back, so only the envelope is converted).
        ingestionConfig: store.ingestionConfig ? sdkIngestionConfig(store.ingestionConfig) : undefined,
      });
      upstreamId = created.id;
    }
    if (!upstreamId) throw new Error("the platform returned a knowledge store without an id");

    // Items and questions waiting for the store are woken by its knowledge_store.synced event.
    await ctx.commit((tx, job) => finishKnowledgeStore(tx, store.id, { syncStatus: "synced", upstreamId }, job(jobSucceeded())));
    return finished;
  },
};

function sdkIngestionConfig(stored: unknown): TwelvelabsApi.IngestionConfig {
  const config = stored as { enrichment_config: { type: string; description?: string; json_schema?: unknown } };
  const enrichment = config.enrichment_config;
  return {
    enrichmentConfig:
      enrichment.type === "json_schema"
        ? ({ type: "json_schema", jsonSchema: enrichment.json_schema } as TwelvelabsApi.EnrichmentConfig)
        : (toSdkCase(enrichment) as TwelvelabsApi.EnrichmentConfig),
  };
}

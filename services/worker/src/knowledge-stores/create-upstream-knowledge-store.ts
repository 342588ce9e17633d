import type { TwelvelabsApi } from "twelvelabs-js";
import { recordEvent } from "@reelay/db";
import { toSdkCase } from "../platform/wire-case.ts";
import { finished, type StepHandler } from "../steps/step.ts";

/** Creates the knowledge store upstream exactly once and records its upstream id. */
export const createUpstreamKnowledgeStore: StepHandler<"knowledge_store.create"> = {
  type: "knowledge_store.create",

  async run(ctx, { knowledgeStoreId }) {
    const store = await ctx.prisma.knowledgeStore.findUnique({ where: { id: knowledgeStoreId } });
    if (!store || store.syncStatus !== "pending") {
      if (store) await ctx.prisma.$transaction((tx) => ctx.complete(tx));
      return finished;
    }

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

    await ctx.prisma.$transaction(async (tx) => {
      await tx.knowledgeStore.update({ where: { id: store.id }, data: { upstreamId, syncStatus: "synced" } });
      await ctx.complete(tx);
    });
    const waiting = await ctx.prisma.knowledgeStoreItem.findMany({ where: { knowledgeStoreId: store.id, upstreamId: null, status: "queued" }, select: { id: true } });
    for (const item of waiting) await ctx.wake("item.index", item.id);
    const questions = await ctx.prisma.response.findMany({ where: { knowledgeStoreId: store.id, status: "queued" }, select: { id: true } });
    for (const response of questions) await ctx.wake("response.create", response.id);
    return finished;
  },

  async fail(tx, { knowledgeStoreId }, reason) {
    const store = await tx.knowledgeStore.update({ where: { id: knowledgeStoreId }, data: { syncStatus: "failed", errorMessage: reason.message } });
    await recordEvent(tx, {
      tenantId: store.tenantId,
      type: "knowledge_store.failed",
      resourceType: "knowledge_store",
      resourceId: knowledgeStoreId,
      data: { knowledge_store_id: knowledgeStoreId, error: { message: reason.message } },
    });
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

import type { Queue } from "bullmq";
import { assertValidIngestionConfig, newId, type CreateKnowledgeStoreBody } from "@reelay/contract";
import { asJson, type PrismaClient } from "@reelay/db";
import { createJobRow, dispatchAfterCommit } from "@reelay/jobs";
import { withItemCount, type KnowledgeStoreWithCount } from "./knowledge-store-wire.ts";

export interface KnowledgeStoreDeps {
  prisma: PrismaClient;
  queue: Queue;
  log: (message: string, error?: unknown) => void;
}

/** Records the store (ingestion config already normalised to the tagged form) and its create job. */
export async function createKnowledgeStore(deps: KnowledgeStoreDeps, tenantId: string, body: CreateKnowledgeStoreBody): Promise<KnowledgeStoreWithCount> {
  // Refused up front with the platform's 422, instead of a store that fails later upstream.
  assertValidIngestionConfig(body.ingestion_config);
  const id = newId("knowledgeStore");
  const store = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.knowledgeStore.create({
      data: {
        id,
        tenantId,
        name: body.name,
        description: body.description ?? null,
        ...(body.ingestion_config ? { ingestionConfig: asJson(body.ingestion_config) } : {}),
        ...(body.metadata ? { metadata: body.metadata } : {}),
      },
      include: withItemCount,
    });
    await createJobRow(tx, { tenantId, type: "knowledge_store.create", resourceId: id });
    return created;
  });
  await dispatchAfterCommit(deps.queue, "knowledge_store.create", { knowledgeStoreId: id }, (error) =>
    deps.log(`knowledge store ${id}: dispatch deferred to the reconciler`, error),
  );
  return store;
}

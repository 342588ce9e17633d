import type { Queue } from "bullmq";
import { assertValidIngestionConfig, newId, type CreateKnowledgeStoreBody } from "@reelay/contract";
import { asJson, type Job, type PrismaClient } from "@reelay/db";
import { createKnowledgeStoreRecord, type KnowledgeStoreWithCount } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";

export interface KnowledgeStoreDeps {
  prisma: PrismaClient;
  queue: Queue;
  log: (message: string, error?: unknown) => void;
}

/** Records the store (ingestion config already normalised to the tagged form) and its create job. */
export async function createKnowledgeStore(deps: KnowledgeStoreDeps, tenantId: string, body: CreateKnowledgeStoreBody): Promise<{ store: KnowledgeStoreWithCount; job: Job }> {
  // Refused up front with the platform's 422, instead of a store that fails later upstream.
  assertValidIngestionConfig(body.ingestion_config);
  const id = newId("knowledgeStore");
  const created = await deps.prisma.$transaction((tx) =>
    createKnowledgeStoreRecord(tx, {
      id,
      tenantId,
      name: body.name,
      description: body.description ?? null,
      ...(body.ingestion_config ? { ingestionConfig: asJson(body.ingestion_config) } : {}),
      ...(body.metadata ? { metadata: body.metadata } : {}),
    }),
  );
  await dispatchAfterCommit(deps.queue, created.job, (error) =>
    deps.log(`knowledge store ${id}: dispatch deferred to the reconciler`, error),
  );
  return created;
}

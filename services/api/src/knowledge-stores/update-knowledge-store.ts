import type { UpdateKnowledgeStoreBody } from "@reelay/contract";
import type { Job } from "@reelay/db";
import { updateKnowledgeStoreRecord, type KnowledgeStoreWithCount } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";
import type { KnowledgeStoreDeps } from "./create-knowledge-store.ts";

/**
 * Changes the store's name, description or metadata (`metadata` replaces the map) at once; its
 * update job pushes the change to the platform's copy. The ingestion config cannot change.
 */
export async function updateKnowledgeStore(deps: KnowledgeStoreDeps, tenantId: string, knowledgeStoreId: string, body: UpdateKnowledgeStoreBody): Promise<{ store: KnowledgeStoreWithCount; job: Job }> {
  const updated = await deps.prisma.$transaction((tx) => updateKnowledgeStoreRecord(tx, tenantId, knowledgeStoreId, body));
  await dispatchAfterCommit(deps.queue, updated.job, (error) => deps.log(`knowledge store ${knowledgeStoreId}: update dispatch deferred to the reconciler`, error));
  return updated;
}

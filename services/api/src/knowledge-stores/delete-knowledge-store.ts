import type { Job } from "@reelay/db";
import { deleteKnowledgeStoreRecord } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";
import type { KnowledgeStoreDeps } from "./create-knowledge-store.ts";

/**
 * Deletes the store with its items and collections at once (they answer 404 from now on), ends
 * their work and the questions and searches waiting on the store; a job deletes the platform's copy.
 */
export async function deleteKnowledgeStore(deps: KnowledgeStoreDeps, tenantId: string, knowledgeStoreId: string): Promise<Job> {
  const { job } = await deps.prisma.$transaction((tx) => deleteKnowledgeStoreRecord(tx, tenantId, knowledgeStoreId));
  await dispatchAfterCommit(deps.queue, job, (error) => deps.log(`knowledge store ${knowledgeStoreId}: delete dispatch deferred to the reconciler`, error));
  return job;
}

import type { Job } from "@reelay/db";
import { deleteItemRecord } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";
import type { ItemDeps } from "./create-item.ts";

/**
 * Deletes the item at once (404 from now on) and takes it out of its collections; its indexing
 * stops, and a job deletes the platform's copy.
 */
export async function deleteItem(deps: ItemDeps, tenantId: string, knowledgeStoreId: string, itemId: string): Promise<Job> {
  const { job } = await deps.prisma.$transaction((tx) => deleteItemRecord(tx, tenantId, knowledgeStoreId, itemId));
  await dispatchAfterCommit(deps.queue, job, (error) => deps.log(`item ${itemId}: delete dispatch deferred to the reconciler`, error));
  return job;
}

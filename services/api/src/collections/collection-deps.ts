import type { Queue } from "bullmq";
import type { Job, PrismaClient } from "@reelay/db";
import { dispatchAfterCommit } from "@reelay/jobs";

export interface CollectionDeps {
  prisma: PrismaClient;
  queue: Queue;
  log: (message: string, error?: unknown) => void;
}

/** Dispatches a change's sync (or delete) job after commit; none when the change needs no push. */
export async function dispatchCollectionJob(deps: CollectionDeps, collectionId: string, job: Job | undefined): Promise<void> {
  if (job) await dispatchAfterCommit(deps.queue, job, (error) => deps.log(`collection ${collectionId}: ${job.type} dispatch deferred to the reconciler`, error));
}

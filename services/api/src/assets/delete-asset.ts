import type { Queue } from "bullmq";
import { AppError } from "@reelay/contract";
import type { Job, PrismaClient } from "@reelay/db";
import { deleteAssetRecord } from "@reelay/domain";
import { bullJobId, dispatchAfterCommit, isJobType } from "@reelay/jobs";
import { lockAsset } from "./get-asset.ts";

export interface AssetDeps {
  prisma: PrismaClient;
  queue: Queue;
  log: (message: string, error?: unknown) => void;
}

/**
 * Deletes the asset, like the platform: 409 while a knowledge store item uses it, unless `force`
 * (then items not yet indexed fail and indexed ones stay). The row goes at once (soft-deleted);
 * the `asset.delete` job, dispatched after commit, deletes the platform's copy.
 */
export async function deleteAsset(deps: AssetDeps, tenantId: string, assetId: string, options: { force: boolean }): Promise<{ job: Job | undefined }> {
  const deleted = await deps.prisma.$transaction(async (tx) => {
    await lockAsset(tx, tenantId, assetId);
    if (!options.force) {
      const using = { assetId, deletedAt: null, knowledgeStore: { deletedAt: null } };
      const users = await tx.knowledgeStoreItem.findMany({ where: using, orderBy: { createdAt: "asc" }, take: 5, select: { id: true, knowledgeStoreId: true } });
      if (users.length > 0) throw assetInUse(assetId, users, await tx.knowledgeStoreItem.count({ where: using }));
    }
    return deleteAssetRecord(tx, assetId);
  });
  const log = (error: unknown) => deps.log(`asset ${assetId}: dispatch deferred to the reconciler`, error);
  if (deleted.job) await dispatchAfterCommit(deps.queue, deleted.job, log);
  // The cancelled jobs' queue entries are pointless now (a run that starts finds its job ended).
  for (const job of deleted.cancelled) {
    if (isJobType(job.type)) await deps.queue.remove(bullJobId(job.type, job.id)).catch(() => undefined);
  }
  return { job: deleted.job };
}

function assetInUse(assetId: string, users: Array<{ id: string; knowledgeStoreId: string }>, count: number): AppError {
  const shown = users.map((item) => `${item.id} (knowledge store ${item.knowledgeStoreId})`).join(", ");
  return new AppError({
    code: "asset/in_use",
    platformCode: "asset_in_use",
    status: 409,
    message: `Asset ${assetId} is used by ${count} knowledge store item(s): ${shown}${count > users.length ? ", ..." : ""}. Delete them first, or set force=true.`,
  });
}

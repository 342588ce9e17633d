import { newId, type ItemStatus } from "@reelay/contract";
import type { Db, Job, KnowledgeStoreItem, Prisma } from "@reelay/db";
import { toItemWire } from "../wire/item-wire.ts";
import { markCollectionsBehind } from "./collections.ts";
import { createJob } from "./jobs.ts";
import { appendEvent } from "./outbox.ts";
import { applyJobEffect, type JobEffect } from "./resource-job.ts";
import { conditionally } from "./stale-state.ts";

const open: ItemStatus[] = ["queued", "pending", "processing"];

/** A new item (`queued`) with its index job and their events. */
export async function createItemRecord(tx: Db, data: Omit<Prisma.KnowledgeStoreItemUncheckedCreateInput, "jobId" | "version" | "status">): Promise<{ item: KnowledgeStoreItem; job: Job }> {
  const jobId = newId("job");
  const item = await tx.knowledgeStoreItem.create({ data: { ...data, jobId, version: 1 } });
  const job = await createJob(tx, { id: jobId, tenantId: item.tenantId, type: "item.index", resourceId: item.id, resourceStatus: item.status });
  await appendEvent(tx, { type: "knowledge_store_item.created", tenantId: item.tenantId, resourceId: item.id, sequence: 1, jobId, data: itemEventData(item) });
  return { item, job };
}

export interface ItemChange {
  status: Exclude<ItemStatus, "queued">;
  systemMetadata?: Prisma.InputJsonValue;
  errorMessage?: string;
}

/** An item moves on (pending → processing → ready | failed); refused once it is terminal. */
export async function changeItemStatus(tx: Db, itemId: string, change: ItemChange, job?: JobEffect): Promise<{ item: KnowledgeStoreItem; job: Job | undefined }> {
  const item = await conditionally("knowledge_store_item", itemId, () =>
    tx.knowledgeStoreItem.update({
      where: { id: itemId, status: { in: open } },
      data: {
        status: change.status,
        ...(change.systemMetadata !== undefined ? { systemMetadata: change.systemMetadata } : {}),
        ...(change.status === "failed" ? { errorMessage: change.errorMessage ?? null } : {}),
        version: { increment: 1 },
      },
    }),
  );
  await appendEvent(tx, { type: `knowledge_store_item.${change.status}`, tenantId: item.tenantId, resourceId: item.id, sequence: item.version, jobId: item.jobId, data: itemEventData(item) });
  // Collections push indexed members only: the item's collections fall behind in this same transaction.
  if (item.status === "ready") await markCollectionsBehind(tx, item.id);
  return { item, job: await applyJobEffect(tx, job, item.status) };
}

function itemEventData(item: KnowledgeStoreItem) {
  return { ...toItemWire(item), knowledge_store_id: item.knowledgeStoreId };
}

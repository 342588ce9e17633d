import type { KnowledgeStore as WireKnowledgeStore } from "@reelay/contract";
import type { KnowledgeStore } from "@reelay/db";

export type KnowledgeStoreWithCount = KnowledgeStore & { _count: { items: number } };
/** Deleted items are gone from every answer, `item_count` included. */
export const withItemCount = { _count: { select: { items: { where: { deletedAt: null } } } } } as const;
export type KnowledgeStoreWire = WireKnowledgeStore & { job_id: string | null };

export function toKnowledgeStoreWire(store: KnowledgeStoreWithCount): KnowledgeStoreWire {
  return {
    _id: store.id,
    name: store.name,
    ...(store.description !== null ? { description: store.description } : {}),
    ...(store.ingestionConfig ? { ingestion_config: store.ingestionConfig as WireKnowledgeStore["ingestion_config"] } : {}),
    item_count: store._count.items,
    created_at: store.createdAt.toISOString(),
    updated_at: store.updatedAt.toISOString(),
    ...(store.metadata ? { metadata: store.metadata as Record<string, string> } : {}),
    sync_status: store.syncStatus,
    ...(store.syncStatus === "failed" ? { error: { message: store.errorMessage ?? "The knowledge store could not be created on the platform." } } : {}),
    job_id: store.jobId,
  };
}

import type { KnowledgeStoreItemCollection as WireCollection } from "@reelay/contract";
import type { ItemCollection } from "@reelay/db";

export type CollectionWithCount = ItemCollection & { _count: { members: number } };
/** Members are rows of live items only: a deleted item leaves its collections in the same transaction. */
export const withMemberCount = { _count: { select: { members: true } } } as const;
export type CollectionWire = WireCollection & { job_id: string | null };

/** The platform's collection shape, plus Reelay's `sync_status` (and `error`) and `job_id`. */
export function toCollectionWire(collection: CollectionWithCount): CollectionWire {
  return {
    _id: collection.id,
    knowledge_store_id: collection.knowledgeStoreId,
    name: collection.name,
    ...(collection.description !== null ? { description: collection.description } : {}),
    ...(collection.metadata ? { metadata: collection.metadata as Record<string, string> } : {}),
    member_count: collection._count.members,
    created_at: collection.createdAt.toISOString(),
    updated_at: collection.updatedAt.toISOString(),
    sync_status: collection.syncStatus,
    ...(collection.syncStatus === "failed" ? { error: { message: collection.errorMessage ?? "The collection could not be synced to the platform." } } : {}),
    job_id: collection.jobId,
  };
}

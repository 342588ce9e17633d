import type { CollectionRecord } from "../state/emulator-state.ts";
import type { KnowledgeStoreItemCollection } from "@reelay/contract";

export function toCollection(collection: CollectionRecord): KnowledgeStoreItemCollection {
  return {
    _id: collection.id,
    knowledge_store_id: collection.storeId,
    name: collection.name,
    description: collection.description,
    metadata: collection.metadata,
    member_count: collection.memberIds.size,
    created_at: collection.createdAt.toISOString(),
    updated_at: collection.updatedAt.toISOString(),
  };
}

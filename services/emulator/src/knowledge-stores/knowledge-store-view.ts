import type { KnowledgeStore } from "@reelay/contract";
import type { EmulatorState, KnowledgeStoreRecord } from "../state/emulator-state.ts";

/** `item_count` is computed on every read, so it always matches the item list. */
export function toKnowledgeStore(state: EmulatorState, store: KnowledgeStoreRecord): KnowledgeStore {
  return {
    _id: store.id,
    name: store.name,
    description: store.description,
    ingestion_config: store.enrichmentConfig ? { enrichment_config: store.enrichmentConfig } : undefined,
    item_count: state.itemsOf(store.id).length,
    created_at: store.createdAt.toISOString(),
    updated_at: store.updatedAt.toISOString(),
    metadata: store.metadata,
  };
}

import type { EmulatorContext } from "../context.ts";
import type { KnowledgeStoreRecord } from "../state/emulator-state.ts";
import { getKnowledgeStore } from "./get-knowledge-store.ts";

export interface KnowledgeStoreChanges {
  name?: string | undefined;
  description?: string | undefined;
  /** Replaces the stored map in full; `{}` clears it. */
  metadata?: Record<string, string> | undefined;
}

/** Only name, description and metadata change; the ingestion config is immutable on the platform. */
export function updateKnowledgeStore(ctx: EmulatorContext, storeId: string, changes: KnowledgeStoreChanges): KnowledgeStoreRecord {
  const store = getKnowledgeStore(ctx, storeId);
  if (changes.name !== undefined) store.name = changes.name;
  if (changes.description !== undefined) store.description = changes.description;
  if (changes.metadata !== undefined) store.metadata = changes.metadata;
  store.updatedAt = new Date();
  return store;
}

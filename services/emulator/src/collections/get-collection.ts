import { AppError, notFound } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";
import type { CollectionRecord } from "../state/emulator-state.ts";

export function getCollection(ctx: EmulatorContext, storeId: string, collectionId: string): CollectionRecord {
  const store = getKnowledgeStore(ctx, storeId);
  const collection = ctx.state.collections.get(collectionId);
  if (!collection || collection.storeId !== store.id) throw notFound("knowledge_store_item_collection", collectionId, "item collections");
  return collection;
}

/** Names are unique within a store. */
export function assertNameFree(ctx: EmulatorContext, storeId: string, name: string, except?: CollectionRecord): void {
  const taken = ctx.state.collectionsOf(storeId).find((c) => c !== except && c.name === name);
  if (!taken) return;
  const message = `knowledge store ${storeId} already has an item collection named "${name}" (${taken.id}).`;
  throw new AppError({ code: "knowledge_store_item_collection/name_taken", platformCode: "parameter_invalid", status: 400, message: `The name parameter is invalid: ${message}`, errors: [{ field: "name", message }] });
}

import { AppError } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import type { CollectionRecord, ItemRecord } from "../state/emulator-state.ts";
import { getCollection } from "./get-collection.ts";

/**
 * The items of a collection, in the order they were added. This is also what `/responses` needs
 * to resolve a `{kind: "collection"}` selection: 404 when the collection is not in the store.
 */
export function itemsOfCollection(ctx: EmulatorContext, storeId: string, collectionId: string): ItemRecord[] {
  const collection = getCollection(ctx, storeId, collectionId);
  return [...collection.memberIds].map((id) => ctx.state.items.get(id)).filter((item): item is ItemRecord => item !== undefined);
}

/** Idempotent: members already in are skipped. Every id must be an item of the store, or nothing changes (400). */
export function addCollectionItems(ctx: EmulatorContext, storeId: string, collectionId: string, itemIds: string[]): CollectionRecord {
  const collection = getCollection(ctx, storeId, collectionId);
  const unknown = [...new Set(itemIds)].filter((id) => ctx.state.items.get(id)?.storeId !== collection.storeId);
  if (unknown.length > 0) {
    const message = `${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ", ..." : ""} ${unknown.length === 1 ? "is not an item" : "are not items"} of knowledge store ${collection.storeId}.`;
    throw new AppError({ code: "knowledge_store_item_collection/unknown_items", platformCode: "parameter_invalid", status: 400, message: `The item_ids parameter is invalid: ${message}`, errors: [{ field: "item_ids", message }] });
  }
  const before = collection.memberIds.size;
  for (const id of itemIds) collection.memberIds.add(id);
  if (collection.memberIds.size !== before) collection.updatedAt = new Date();
  return collection;
}

/** Idempotent: ids that are not members are ignored. The items stay in the store. */
export function removeCollectionItems(ctx: EmulatorContext, storeId: string, collectionId: string, itemIds: string[]): void {
  const collection = getCollection(ctx, storeId, collectionId);
  let removed = false;
  for (const id of itemIds) removed = collection.memberIds.delete(id) || removed;
  if (removed) collection.updatedAt = new Date();
}

/** A deleted item leaves every collection it was in. */
export function forgetItemInCollections(ctx: EmulatorContext, itemId: string): void {
  for (const collection of ctx.state.collections.values()) {
    if (collection.memberIds.delete(itemId)) collection.updatedAt = new Date();
  }
}

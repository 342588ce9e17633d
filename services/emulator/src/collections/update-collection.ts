import type { EmulatorContext } from "../context.ts";
import type { CollectionRecord } from "../state/emulator-state.ts";
import type { UpdateCollectionBody } from "@reelay/contract";
import { assertNameFree, getCollection } from "./get-collection.ts";

/** Changes name, description and metadata only; `metadata` replaces the stored map in full. */
export function updateCollection(ctx: EmulatorContext, storeId: string, collectionId: string, changes: UpdateCollectionBody): CollectionRecord {
  const collection = getCollection(ctx, storeId, collectionId);
  if (changes.name !== undefined) assertNameFree(ctx, collection.storeId, changes.name, collection);
  if (changes.name !== undefined) collection.name = changes.name;
  if (changes.description !== undefined) collection.description = changes.description;
  if (changes.metadata !== undefined) collection.metadata = changes.metadata;
  collection.updatedAt = new Date();
  return collection;
}

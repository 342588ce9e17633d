import type { EmulatorContext } from "../context.ts";
import { getCollection } from "./get-collection.ts";

/** The collection goes; its items stay in the store. */
export function deleteCollection(ctx: EmulatorContext, storeId: string, collectionId: string): void {
  const collection = getCollection(ctx, storeId, collectionId);
  ctx.state.collections.delete(collection.id);
}

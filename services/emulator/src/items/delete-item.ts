import { forgetItemInCollections } from "../collections/collection-members.ts";
import type { EmulatorContext } from "../context.ts";
import { getItem } from "./get-item.ts";

/**
 * Removing the record is enough for indexing (its timers check the item still exists before each
 * step); the item also leaves the collections it was in.
 */
export function deleteItem(ctx: EmulatorContext, storeId: string, itemId: string): void {
  const item = getItem(ctx, storeId, itemId);
  ctx.state.items.delete(item.id);
  forgetItemInCollections(ctx, item.id);
}

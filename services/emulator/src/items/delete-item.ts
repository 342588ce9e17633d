import type { EmulatorContext } from "../context.ts";
import { getItem } from "./get-item.ts";

/** Removing the record is enough: the indexing timers check the item still exists before each step. */
export function deleteItem(ctx: EmulatorContext, storeId: string, itemId: string): void {
  const item = getItem(ctx, storeId, itemId);
  ctx.state.items.delete(item.id);
}

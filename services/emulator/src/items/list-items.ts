import type { ItemStatus } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { byCreation } from "../http/paginate.ts";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";
import type { ItemRecord } from "../state/emulator-state.ts";

export interface ListItemsOptions {
  statuses: ItemStatus[] | undefined;
  sortBy: "created_at" | "updated_at";
  order: "asc" | "desc";
}

export function listItems(ctx: EmulatorContext, storeId: string, options: ListItemsOptions): ItemRecord[] {
  const store = getKnowledgeStore(ctx, storeId);
  return ctx.state
    .itemsOf(store.id)
    .filter((item) => !options.statuses?.length || options.statuses.includes(item.status))
    .sort(byCreation(options.sortBy, options.order));
}

import type { EmulatorContext } from "../context.ts";
import { byCreation } from "../http/paginate.ts";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";
import type { CollectionRecord } from "../state/emulator-state.ts";
import type { CollectionListQuery } from "@reelay/contract";

export function listCollections(ctx: EmulatorContext, storeId: string, query: Pick<CollectionListQuery, "sort_by" | "sort_option">): CollectionRecord[] {
  const store = getKnowledgeStore(ctx, storeId);
  const sign = query.sort_option === "asc" ? 1 : -1;
  const order =
    query.sort_by === "name"
      ? (a: CollectionRecord, b: CollectionRecord) => sign * (a.name.localeCompare(b.name) || a.seq - b.seq)
      : byCreation<CollectionRecord>(query.sort_by, query.sort_option);
  return ctx.state.collectionsOf(store.id).sort(order);
}

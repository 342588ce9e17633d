import { notFound } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";
import type { ItemRecord } from "../state/emulator-state.ts";

export function getItem(ctx: EmulatorContext, storeId: string, itemId: string): ItemRecord {
  const store = getKnowledgeStore(ctx, storeId);
  const item = ctx.state.items.get(itemId);
  if (!item || item.storeId !== store.id) throw notFound("knowledge_store_item", itemId, "knowledge store items");
  return item;
}

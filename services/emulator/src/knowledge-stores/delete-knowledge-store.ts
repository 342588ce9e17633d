import type { EmulatorContext } from "../context.ts";
import { getKnowledgeStore } from "./get-knowledge-store.ts";

/** Deletes the store with all its items, item collections, sessions and search cursors, like the platform. */
export function deleteKnowledgeStore(ctx: EmulatorContext, storeId: string): void {
  const store = getKnowledgeStore(ctx, storeId);
  for (const item of ctx.state.itemsOf(store.id)) ctx.state.items.delete(item.id);
  for (const collection of ctx.state.collectionsOf(store.id)) ctx.state.collections.delete(collection.id);
  for (const cursor of ctx.state.searchCursors.values()) {
    if (cursor.storeId === store.id) ctx.state.searchCursors.delete(cursor.token);
  }
  for (const session of ctx.state.sessions.values()) {
    if (session.storeId === store.id) ctx.state.sessions.delete(session.id);
  }
  ctx.state.stores.delete(store.id);
}

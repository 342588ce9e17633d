import type { EmulatorContext } from "../context.ts";
import { getKnowledgeStore } from "./get-knowledge-store.ts";

/** Deletes the store with all its items and sessions, like the platform. */
export function deleteKnowledgeStore(ctx: EmulatorContext, storeId: string): void {
  const store = getKnowledgeStore(ctx, storeId);
  for (const item of ctx.state.itemsOf(store.id)) ctx.state.items.delete(item.id);
  for (const session of ctx.state.sessions.values()) {
    if (session.storeId === store.id) ctx.state.sessions.delete(session.id);
  }
  ctx.state.stores.delete(store.id);
}

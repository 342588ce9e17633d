import type { EmulatorContext } from "../context.ts";
import { byCreation } from "../http/paginate.ts";
import type { KnowledgeStoreRecord } from "../state/emulator-state.ts";

export function listKnowledgeStores(ctx: EmulatorContext, sortBy: "created_at" | "updated_at", order: "asc" | "desc"): KnowledgeStoreRecord[] {
  return [...ctx.state.stores.values()].sort(byCreation(sortBy, order));
}

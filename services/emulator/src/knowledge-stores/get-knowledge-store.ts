import { notFound } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import type { KnowledgeStoreRecord } from "../state/emulator-state.ts";

export function getKnowledgeStore(ctx: EmulatorContext, storeId: string): KnowledgeStoreRecord {
  const store = ctx.state.stores.get(storeId);
  if (!store) throw notFound("knowledge_store", storeId, "knowledge stores");
  return store;
}

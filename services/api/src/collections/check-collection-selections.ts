import { invalidParameter, notFound, type CreateResponseBody } from "@reelay/contract";
import type { Db } from "@reelay/db";

/**
 * The collections a question selects must be live collections of its store: a collection id
 * carries the `ksic_` prefix (400 otherwise, like the platform), and an unknown one is a 404.
 */
export async function checkCollectionSelections(db: Db, tenantId: string, knowledgeStoreId: string, selections: CreateResponseBody["selections"]): Promise<void> {
  const chosen = (selections ?? []).map((selection, index) => ({ ...selection, index })).filter((selection) => selection.kind === "collection");
  for (const selection of chosen) {
    if (!selection.id.startsWith("ksic_")) throw invalidParameter(`selections.${selection.index}.id`, "collection ids start with ksic_.", "response");
  }
  if (chosen.length === 0) return;
  const found = await db.itemCollection.findMany({ where: { id: { in: chosen.map((s) => s.id) }, tenantId, knowledgeStoreId, deletedAt: null }, select: { id: true } });
  const known = new Set(found.map((c) => c.id));
  const missing = chosen.find((selection) => !known.has(selection.id));
  if (missing) throw notFound("knowledge_store_item_collection", missing.id, "item collections");
}

import { invalidParameter } from "@reelay/contract";
import type { CreateResponseBody } from "@reelay/contract";
import { itemsOfCollection } from "../collections/collection-members.ts";
import type { EmulatorContext } from "../context.ts";
import type { ItemRecord } from "../state/emulator-state.ts";

const PREFIX = { item: "ksi_", collection: "ksic_" } as const;

/**
 * The items a response may draw on: every item of the store, or the selected ones, in the order
 * they were added. Each selection's id must carry its kind's prefix (`ksi_`, `ksic_`); a
 * collection stands for its members (an unknown collection is a 404, like the platform's).
 */
export function resolveSelections(ctx: EmulatorContext, storeId: string, selections: CreateResponseBody["selections"]): ItemRecord[] {
  const all = ctx.state.itemsOf(storeId).sort((a, b) => a.seq - b.seq);
  if (!selections?.length) return all;
  const chosen = new Set<string>();
  selections.forEach((selection, i) => {
    const field = `selections.${i}.id`;
    if (!selection.id.startsWith(PREFIX[selection.kind])) throw invalidParameter(field, `${selection.kind} ids start with ${PREFIX[selection.kind]}.`, "response");
    if (selection.kind === "collection") {
      for (const item of itemsOfCollection(ctx, storeId, selection.id)) chosen.add(item.id);
      return;
    }
    if (!all.some((item) => item.id === selection.id)) throw invalidParameter(field, `item ${selection.id} is not in knowledge store ${storeId}.`, "response");
    chosen.add(selection.id);
  });
  return all.filter((item) => chosen.has(item.id));
}

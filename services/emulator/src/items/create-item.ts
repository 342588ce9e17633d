import { AppError, newId, notFound } from "@reelay/contract";
import type { CreateItemBody } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { getKnowledgeStore } from "../knowledge-stores/get-knowledge-store.ts";
import type { ItemRecord } from "../state/emulator-state.ts";
import { startIndexing } from "./index-item.ts";

/**
 * Adds a ready video or image asset to a store as a `queued` item and starts indexing it. The item's
 * `asset_type` is the asset's probed kind; a given `asset_type` must agree with it.
 */
export function createItem(ctx: EmulatorContext, storeId: string, body: CreateItemBody): ItemRecord {
  const store = getKnowledgeStore(ctx, storeId);
  const asset = ctx.state.assets.get(body.asset_id);
  if (!asset) throw notFound("asset", body.asset_id);
  if (asset.status !== "ready" || !asset.facts) {
    throw invalidAsset(`The asset_id parameter is invalid: asset ${asset.id} is ${asset.status}; only ready assets can be added to a knowledge store.`);
  }
  const kind = asset.facts.kind;
  if (kind === "audio") throw invalidAsset(`The asset_id parameter is invalid: asset ${asset.id} is audio-only; knowledge stores hold video and image assets.`);
  if (body.asset_type && body.asset_type !== kind) {
    throw invalidAsset(`The asset_type parameter is invalid: asset ${asset.id} is ${article(kind)} ${kind}, not ${article(body.asset_type)} ${body.asset_type}.`, "asset_type");
  }

  const now = new Date();
  const item: ItemRecord = {
    id: newId("item"),
    storeId: store.id,
    assetId: asset.id,
    assetType: kind,
    status: "queued",
    metadata: body.metadata,
    filename: asset.filename,
    facts: asset.facts,
    extraction: undefined,
    failure: undefined,
    createdAt: now,
    updatedAt: now,
    seq: ctx.state.nextSeq(),
  };
  ctx.state.items.set(item.id, item);
  startIndexing(ctx, item);
  return item;
}

function article(word: string): "a" | "an" {
  return /^[aeiou]/.test(word) ? "an" : "a";
}

function invalidAsset(message: string, field = "asset_id"): AppError {
  return new AppError({ code: "knowledge_store_item/invalid_asset", platformCode: "parameter_invalid", status: 400, message, errors: [{ field, message }] });
}

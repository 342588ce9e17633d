import type { Queue } from "bullmq";
import { AppError, newId, notFound, type CreateItemBody } from "@reelay/contract";
import type { Job, KnowledgeStoreItem, PrismaClient } from "@reelay/db";
import { createItemRecord } from "@reelay/domain";
import { dispatchAfterCommit } from "@reelay/jobs";

export interface ItemDeps {
  prisma: PrismaClient;
  queue: Queue;
  log: (message: string, error?: unknown) => void;
}

/**
 * Accepts the item as `queued` at once. Unlike the platform, the asset need not be ready yet:
 * the worker waits for the asset and the store to exist upstream before creating the item.
 */
export async function createItem(deps: ItemDeps, tenantId: string, knowledgeStoreId: string, body: CreateItemBody): Promise<{ item: KnowledgeStoreItem; job: Job }> {
  const id = newId("item");
  const created = await deps.prisma.$transaction(async (tx) => {
    // FOR SHARE, as the asset below: a store delete (which updates the store row, then deletes the
    // items it then sees) either runs first, and this finds no store, or waits for this item and
    // deletes it with the rest. The store is locked before the asset.
    const [store] = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT "id" FROM "knowledge_stores" WHERE "id" = ${knowledgeStoreId} AND "tenant_id" = ${tenantId} AND "deleted_at" IS NULL FOR SHARE`;
    if (!store) throw notFound("knowledge_store", knowledgeStoreId, "knowledge_stores");
    // FOR SHARE: an asset delete (which locks the row FOR UPDATE, then counts the asset's items)
    // either runs first, and this finds no asset, or waits for this item and refuses with 409.
    const [asset] = await tx.$queryRaw<Array<{ status: string; errorMessage: string | null; fileType: string | null }>>`
      SELECT "status"::text AS "status", "error_message" AS "errorMessage", "file_type" AS "fileType" FROM "assets"
      WHERE "id" = ${body.asset_id} AND "tenant_id" = ${tenantId} AND "deleted_at" IS NULL FOR SHARE`;
    if (!asset) throw notFound("asset", body.asset_id);
    if (asset.status === "failed") {
      throw new AppError({
        code: "item/asset_failed",
        platformCode: "parameter_invalid",
        status: 400,
        message: `The asset ${body.asset_id} failed processing and cannot be indexed${asset.errorMessage ? `: ${asset.errorMessage}` : "."}`,
        errors: [{ field: "asset_id", message: "the asset failed processing" }],
      });
    }
    // Once the platform has told what the asset is, a contradicting asset_type is refused now, as
    // the platform refuses it, rather than accepted and failed later by the worker.
    const kind = asset.status === "ready" ? asset.fileType?.toLowerCase().split("/")[0] : undefined;
    if (body.asset_type && (kind === "video" || kind === "image") && body.asset_type !== kind) {
      const message = `asset ${body.asset_id} is ${article(kind)} ${kind}, not ${article(body.asset_type)} ${body.asset_type}.`;
      throw new AppError({ code: "item/asset_type_mismatch", platformCode: "parameter_invalid", status: 400, message: `The asset_type parameter is invalid: ${message}`, errors: [{ field: "asset_type", message }] });
    }
    return createItemRecord(tx, {
      id,
      tenantId,
      knowledgeStoreId,
      assetId: body.asset_id,
      assetType: body.asset_type ?? (asset.fileType?.toLowerCase().startsWith("image/") ? "image" : "video"),
      ...(body.metadata ? { metadata: body.metadata } : {}),
    });
  });
  await dispatchAfterCommit(deps.queue, created.job, (error) => deps.log(`item ${id}: dispatch deferred to the reconciler`, error));
  return created;
}

function article(word: string): "a" | "an" {
  return /^[aeiou]/.test(word) ? "an" : "a";
}

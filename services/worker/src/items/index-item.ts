import { ItemStatus } from "@reelay/contract";
import { asJson, recordEvent } from "@reelay/db";
import { toWireCase } from "../platform/wire-case.ts";
import { finished, progressed, StepFailure, waitFor, type StepHandler } from "../steps/step.ts";

/**
 * Waits until the asset is ready and the store exists upstream, creates the item upstream once,
 * then mirrors its status (queued → pending → processing → ready | failed) until it is terminal.
 */
export const indexItem: StepHandler<"item.index"> = {
  type: "item.index",

  async run(ctx, { itemId }) {
    const item = await ctx.prisma.knowledgeStoreItem.findUnique({ where: { id: itemId }, include: { asset: true, knowledgeStore: true } });
    if (!item || item.status === "ready" || item.status === "failed") {
      if (item) await ctx.prisma.$transaction((tx) => ctx.complete(tx));
      return finished;
    }
    const { asset, knowledgeStore: store } = item;

    if (!item.upstreamId) {
      if (asset.status === "failed") {
        throw new StepFailure({ status: 400, code: "asset_failed", message: `The asset ${asset.id} failed: ${asset.errorMessage ?? "it could not be processed"}.` });
      }
      if (store.syncStatus === "failed") {
        throw new StepFailure({ status: 502, code: "knowledge_store_failed", message: `The knowledge store could not be created on the platform: ${store.errorMessage ?? "unknown reason"}.` });
      }
      if (asset.status !== "ready" || !asset.upstreamId || !store.upstreamId) return waitFor("await_dependencies");

      let upstream = ctx.job.createSentAt ? await ctx.platform.findItem(store.upstreamId, item.id) : undefined;
      if (!upstream) {
        await ctx.markCreateSent();
        upstream = await ctx.platform.createItem(store.upstreamId, {
          reelayId: item.id,
          assetId: asset.upstreamId,
          assetType: item.assetType === "image" ? "image" : "video",
          metadata: (item.metadata as Record<string, string> | null) ?? undefined,
        });
      }
      if (!upstream.id) throw new Error("the platform returned an item without an id");
      await ctx.prisma.knowledgeStoreItem.update({ where: { id: item.id }, data: { upstreamId: upstream.id } });
      return progressed("await_indexed");
    }

    if (!store.upstreamId) throw new Error(`item ${item.id} has an upstream id but its store has none`);
    const upstream = await ctx.platform.getItem(store.upstreamId, item.upstreamId);
    const status = ItemStatus.safeParse(upstream.status);
    if (!status.success) throw new Error(`the platform reported an unknown item status: ${String(upstream.status)}`);
    const done = status.data === "ready" || status.data === "failed";

    // The item is not terminal here, so reaching a terminal status is always a change.
    if (status.data !== item.status) {
      await ctx.prisma.$transaction(async (tx) => {
        await tx.knowledgeStoreItem.update({
          where: { id: item.id },
          data: {
            status: status.data,
            ...(upstream.systemMetadata ? { systemMetadata: asJson(toWireCase(upstream.systemMetadata)) } : {}),
            ...(status.data === "failed" ? { errorMessage: upstreamFailure(upstream) } : {}),
          },
        });
        await recordEvent(tx, {
          tenantId: item.tenantId,
          type: `knowledge_store_item.${status.data}`,
          resourceType: "knowledge_store_item",
          resourceId: item.id,
          data: { knowledge_store_id: store.id, item_id: item.id, asset_id: asset.id, status: status.data },
        });
        if (done) await ctx.complete(tx);
      });
    }
    if (done) return finished;
    return status.data !== item.status ? progressed("await_indexed") : waitFor("await_indexed");
  },

  async fail(tx, { itemId }, reason) {
    const item = await tx.knowledgeStoreItem.update({ where: { id: itemId }, data: { status: "failed", errorMessage: reason.message } });
    await recordEvent(tx, {
      tenantId: item.tenantId,
      type: "knowledge_store_item.failed",
      resourceType: "knowledge_store_item",
      resourceId: itemId,
      data: { knowledge_store_id: item.knowledgeStoreId, item_id: itemId, asset_id: item.assetId, status: "failed", error: { message: reason.message } },
    });
  },
};

/** The platform gives no reason for a failed item; the emulator (and maybe a later API) does. */
function upstreamFailure(upstream: object): string {
  const error = (upstream as { error?: { message?: unknown } }).error;
  return typeof error?.message === "string" ? `The platform could not index the item: ${error.message}` : "The platform could not index the item.";
}

import { ItemStatus } from "@reelay/contract";
import { asJson } from "@reelay/db";
import { changeItemStatus, ensureOpenJob, jobCancelledByDeletion, jobFailed, jobSucceeded, lockVersion } from "@reelay/domain";
import type { UpstreamItem } from "../platform/upstream-schemas.ts";
import { awaitDependency, createInFlight, finished, StepFailure, type StepHandler, type StepOutcome } from "../steps/step.ts";

/**
 * Waits until the asset is ready and the store exists upstream (their events wake it), creates
 * the item upstream once, then mirrors its status (queued → pending → processing → ready | failed).
 */
export const indexItem: StepHandler<"item.index"> = {
  type: "item.index",

  async run(ctx, { itemId }) {
    const item = await ctx.prisma.knowledgeStoreItem.findUnique({ where: { id: itemId }, include: { asset: true, knowledgeStore: true } });
    if (!item || item.status === "ready" || item.status === "failed") return finished;
    const { asset, knowledgeStore: store } = item;
    // Deleting ends this job in the same transaction; an item added to a store being deleted at that
    // very moment escapes it, and ends here: the store's delete removes whatever is upstream.
    if (item.deletedAt || store.deletedAt) {
      await ctx.finish(jobCancelledByDeletion(item.deletedAt ? `The item ${item.id}` : `The knowledge store ${store.id}`));
      return finished;
    }

    if (!item.upstreamId) {
      if (asset.status === "failed") {
        throw new StepFailure({ status: 400, code: "asset_failed", message: `The asset ${asset.id} failed: ${asset.errorMessage ?? "it could not be processed"}.` });
      }
      if (store.syncStatus === "failed") {
        throw new StepFailure({ status: 502, code: "knowledge_store_failed", message: `The knowledge store could not be created on the platform: ${store.errorMessage ?? "unknown reason"}.` });
      }
      if (asset.status !== "ready" || !asset.upstreamId || !store.upstreamId) return awaitDependency("await_dependencies");

      const sentAt = ctx.job.createSentAt;
      let upstreamId = sentAt ? (await ctx.platform.findItem(store.upstreamId, item.id, sentAt))?._id : undefined;
      if (!upstreamId && sentAt) {
        const inFlightMs = ctx.createInFlightMs(sentAt);
        if (inFlightMs > 0) return createInFlight(inFlightMs);
      }
      if (!upstreamId) {
        await ctx.markCreateSent();
        const created = await ctx.platform.createItem(store.upstreamId, {
          reelayId: item.id,
          assetId: asset.upstreamId,
          assetType: item.assetType,
          metadata: (item.metadata as Record<string, string> | null) ?? undefined,
        });
        upstreamId = created._id;
      }
      // From here the store's watcher follows the item (one list call for all of the store's items);
      // the item's own look is only the safety net.
      await ctx.prisma.$transaction(async (tx) => {
        await lockVersion(tx, "knowledge_stores", store.id);
        await tx.knowledgeStoreItem.update({ where: { id: item.id }, data: { upstreamId } });
        await ensureOpenJob(tx, { tenantId: item.tenantId, type: "knowledge_store.watch_items", resourceId: store.id, resourceStatus: store.syncStatus });
      });
      return safetyLook(ctx);
    }

    if (!store.upstreamId) throw new Error(`item ${item.id} has an upstream id but its store has none`);
    const upstream = await ctx.platform.getItem(store.upstreamId, item.upstreamId);
    const status = ItemStatus.safeParse(upstream.status);
    if (!status.success) throw new Error(`the platform reported an unknown item status: ${String(upstream.status)}`);
    if (status.data === item.status || status.data === "queued") return safetyLook(ctx);

    const failure = upstreamFailure(upstream);
    await ctx.commit((tx, job) =>
      changeItemStatus(
        tx,
        item.id,
        {
          status: status.data as Exclude<ItemStatus, "queued">,
          ...(upstream.system_metadata ? { systemMetadata: asJson(upstream.system_metadata) } : {}),
          ...(status.data === "failed" ? { errorMessage: failure } : {}),
        },
        job(status.data === "ready" ? jobSucceeded() : status.data === "failed" ? jobFailed({ code: "item_failed", message: failure, retryable: false }) : undefined),
      ),
    );
    return status.data === "ready" || status.data === "failed" ? finished : safetyLook(ctx);
  },
};

/** The item's own look at the platform, while its store's watcher does the frequent ones. */
function safetyLook(ctx: { watch: { itemSafetyPollMs: number } }): StepOutcome {
  return { done: false, stage: "await_indexed", remote: true, waitMs: ctx.watch.itemSafetyPollMs };
}

/** The platform gives no reason for a failed item; the emulator (and maybe a later API) does. */
function upstreamFailure(upstream: UpstreamItem): string {
  return upstream.error?.message ? `The platform could not index the item: ${upstream.error.message}` : "The platform could not index the item.";
}

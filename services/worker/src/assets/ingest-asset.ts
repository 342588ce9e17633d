import { rm } from "node:fs/promises";
import path from "node:path";
import { asJson, recordEvent } from "@reelay/db";
import { toWireCase } from "../platform/wire-case.ts";
import { finished, progressed, waitFor, type StepHandler } from "../steps/step.ts";

/**
 * Creates the asset upstream once (stamped with Reelay's id, looked up before any re-create),
 * then polls it until the platform says ready or failed.
 */
export const ingestAsset: StepHandler<"asset.ingest"> = {
  type: "asset.ingest",

  async run(ctx, { assetId }) {
    const asset = await ctx.prisma.asset.findUnique({ where: { id: assetId } });
    if (!asset || asset.status !== "processing") {
      if (asset) await ctx.prisma.$transaction((tx) => ctx.complete(tx));
      return finished;
    }

    if (!asset.upstreamId) {
      const found = ctx.job.createSentAt ? await ctx.platform.findAsset(asset.id, asset.filename ?? undefined) : undefined;
      let upstreamId = found?.id;
      if (!upstreamId) {
        await ctx.markCreateSent();
        const created = await ctx.platform.createAsset({
          reelayId: asset.id,
          url: asset.sourceUrl ?? undefined,
          filePath: asset.blobKey ? path.join(ctx.blobDir, asset.blobKey) : undefined,
          filename: asset.filename ?? undefined,
          enableHls: asset.enableHls,
          enableThumbnail: asset.enableThumbnail,
          userMetadata: (asset.userMetadata as Record<string, unknown> | null) ?? undefined,
        });
        upstreamId = created.id;
      }
      if (!upstreamId) throw new Error("the platform returned an asset without an id");
      await ctx.prisma.asset.update({ where: { id: asset.id }, data: { upstreamId } });
      // The platform holds the bytes now; the local copy of a direct upload is no longer needed.
      if (asset.blobKey) await rm(path.join(ctx.blobDir, asset.blobKey), { force: true });
      return progressed("await_ready");
    }

    const upstream = await ctx.platform.getAsset(asset.upstreamId);
    if (upstream.status === "processing" || !upstream.status) return waitFor("await_ready");

    const ready = upstream.status === "ready";
    await ctx.prisma.$transaction(async (tx) => {
      await tx.asset.update({
        where: { id: asset.id },
        data: {
          status: ready ? "ready" : "failed",
          ...(upstream.fileType ? { fileType: upstream.fileType } : {}),
          ...(upstream.size !== undefined ? { size: BigInt(Math.round(upstream.size)) } : {}),
          ...(upstream.duration !== undefined ? { duration: upstream.duration } : {}),
          ...(upstream.technicalMetadata ? { technicalMetadata: asJson(toWireCase(upstream.technicalMetadata)) } : {}),
          errorMessage: ready ? null : (upstream.error?.message ?? "The platform could not process the asset."),
        },
      });
      await recordEvent(tx, {
        tenantId: asset.tenantId,
        type: ready ? "asset.ready" : "asset.failed",
        resourceType: "asset",
        resourceId: asset.id,
        data: { asset_id: asset.id, status: upstream.status ?? "failed", ...(ready ? {} : { error: { message: upstream.error?.message ?? "failed" } }) },
      });
      await ctx.complete(tx);
    });

    // Items waiting for this asset can go now (or learn that it failed).
    const waiting = await ctx.prisma.knowledgeStoreItem.findMany({ where: { assetId: asset.id, upstreamId: null, status: "queued" }, select: { id: true } });
    for (const item of waiting) await ctx.wake("item.index", item.id);
    return finished;
  },

  async fail(tx, { assetId }, reason) {
    const asset = await tx.asset.update({ where: { id: assetId }, data: { status: "failed", errorMessage: reason.message } });
    await recordEvent(tx, {
      tenantId: asset.tenantId,
      type: "asset.failed",
      resourceType: "asset",
      resourceId: assetId,
      data: { asset_id: assetId, status: "failed", error: { message: reason.message } },
    });
  },
};

import { rm } from "node:fs/promises";
import path from "node:path";
import { asJson } from "@reelay/db";
import { finishAsset, jobFailed, jobSucceeded } from "@reelay/domain";
import { createInFlight, finished, pollRemote, progressed, type StepHandler } from "../steps/step.ts";

/**
 * Creates the asset upstream once (stamped with Reelay's id, looked up before any re-create),
 * then polls it until the platform says ready or failed.
 */
export const ingestAsset: StepHandler<"asset.ingest"> = {
  type: "asset.ingest",

  async run(ctx, { assetId }) {
    const asset = await ctx.prisma.asset.findUnique({ where: { id: assetId } });
    if (!asset || asset.status !== "processing") return finished;

    if (!asset.upstreamId) {
      const sentAt = ctx.job.createSentAt;
      let upstreamId = sentAt ? (await ctx.platform.findAsset(asset.id, asset.filename ?? undefined, sentAt))?._id : undefined;
      if (!upstreamId && sentAt) {
        // An earlier run sent the create and did not live to see the answer: it may still land.
        const inFlightMs = ctx.createInFlightMs(sentAt, Boolean(asset.blobKey));
        if (inFlightMs > 0) return createInFlight(inFlightMs);
      }
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
        upstreamId = created._id;
      }
      await ctx.prisma.asset.update({ where: { id: asset.id }, data: { upstreamId } });
      // The platform holds the bytes now; the local copy of a direct upload is no longer needed.
      if (asset.blobKey) await rm(path.join(ctx.blobDir, asset.blobKey), { force: true });
      return progressed("await_ready");
    }

    const upstream = await ctx.platform.getAsset(asset.upstreamId);
    if (upstream.status === "processing" || !upstream.status) return pollRemote("await_ready");

    const ready = upstream.status === "ready";
    const errorMessage = upstream.error?.message ?? "The platform could not process the asset.";
    await ctx.commit((tx, job) =>
      finishAsset(
        tx,
        asset.id,
        {
          status: ready ? "ready" : "failed",
          errorMessage,
          ...(upstream.file_type ? { fileType: upstream.file_type } : {}),
          ...(upstream.size !== undefined ? { size: BigInt(Math.round(upstream.size)) } : {}),
          ...(upstream.duration !== undefined ? { duration: upstream.duration } : {}),
          ...(upstream.technical_metadata ? { technicalMetadata: asJson(upstream.technical_metadata) } : {}),
        },
        job(ready ? jobSucceeded() : jobFailed({ code: "asset_failed", message: errorMessage, retryable: false })),
      ),
    );
    return finished;
  },
};

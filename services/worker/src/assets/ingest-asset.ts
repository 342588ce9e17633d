import { rm } from "node:fs/promises";
import path from "node:path";
import { asJson, type Asset } from "@reelay/db";
import { changeAssetRenditions, finishAsset, jobFailed, jobSucceeded } from "@reelay/domain";
import type { UpstreamAsset } from "../platform/upstream-schemas.ts";
import { sendToPlatform } from "./send-to-platform.ts";
import { createInFlight, finished, pollRemote, progressed, type StepContext, type StepHandler, type StepOutcome } from "../steps/step.ts";

/**
 * Creates the asset upstream once (stamped with Reelay's id, looked up before any re-create),
 * then polls it until the platform says ready or failed. An asset created with enable_hls or
 * enable_thumbnail is `ready` (and `asset.ready` sent) as soon as the platform says so; the job
 * then keeps polling until those renditions are ready or in error, keeping what the platform
 * reports of them.
 */
export const ingestAsset: StepHandler<"asset.ingest"> = {
  type: "asset.ingest",

  async run(ctx, { assetId }) {
    const asset = await ctx.prisma.asset.findUnique({ where: { id: assetId } });
    if (!asset || asset.deletedAt) return finished;
    if (asset.status === "ready") return awaitRenditions(ctx, asset);
    if (asset.status !== "processing") return finished;

    if (!asset.upstreamId) {
      // Multipart uploads are joined first; files above the direct-upload limit go up in chunks.
      const sent = await sendToPlatform(ctx, asset);
      if (sent) return sent;
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
    const renditionsPending = ready && !renditionsSettled(asset, upstream);
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
          ...renditionsOf(upstream),
        },
        job(ready ? (renditionsPending ? { status: "waiting_remote", stage: "await_renditions" } : jobSucceeded()) : jobFailed({ code: "asset_failed", message: errorMessage, retryable: false })),
      ),
    );
    return renditionsPending ? progressed("await_renditions") : finished;
  },
};

/**
 * The asset is ready; its renditions were still on their way. Each change of their status is kept
 * (`asset.updated`); the job succeeds once none is pending or processing any more.
 */
async function awaitRenditions(ctx: StepContext, asset: Asset): Promise<StepOutcome> {
  const upstream = asset.upstreamId ? await ctx.platform.getAsset(asset.upstreamId) : undefined;
  const settled = !upstream || renditionsSettled(asset, upstream);
  // Compared by status only: a platform that signs its URLs afresh on every read must not turn
  // each poll into a change.
  const moved = upstream !== undefined && (statusOf(upstream.hls) !== statusOf(asset.hls) || statusOf(upstream.thumbnail) !== statusOf(asset.thumbnail));
  if (!moved) {
    if (!settled) return pollRemote("await_renditions");
    await ctx.finish(jobSucceeded());
    return finished;
  }
  await ctx.commit((tx, job) => changeAssetRenditions(tx, asset.id, renditionsOf(upstream), job(settled ? jobSucceeded() : undefined)));
  return settled ? finished : progressed("await_renditions");
}

/** The platform's `hls` and `thumbnail` objects, whole, where it reported them. */
function renditionsOf(upstream: UpstreamAsset): { hls?: ReturnType<typeof asJson>; thumbnail?: ReturnType<typeof asJson> } {
  return { ...(upstream.hls ? { hls: asJson(upstream.hls) } : {}), ...(upstream.thumbnail ? { thumbnail: asJson(upstream.thumbnail) } : {}) };
}

/**
 * Whether every rendition asked for is over: ready, in error, or not reported at all (the platform
 * omits one it does not make, like HLS for an image).
 */
function renditionsSettled(asset: Asset, upstream: UpstreamAsset): boolean {
  const over = (rendition: UpstreamAsset["hls"]) => !rendition || rendition.status === "ready" || rendition.status === "error";
  return (!asset.enableHls || over(upstream.hls)) && (!asset.enableThumbnail || over(upstream.thumbnail));
}

function statusOf(rendition: unknown): unknown {
  return rendition && typeof rendition === "object" ? (rendition as { status?: unknown }).status : undefined;
}

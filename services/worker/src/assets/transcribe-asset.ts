import { asJson } from "@reelay/db";
import { changeTranscription, isOpenTranscription, jobFailed, jobSucceeded } from "@reelay/domain";
import { PlatformError } from "../platform/platform-error.ts";
import { awaitDependency, finished, pollRemote, progressed, type StepHandler } from "../steps/step.ts";

/**
 * Once the asset is ready, asks the platform for its transcription (every segmentation, so any
 * later `include` is answered from the copy) until it is ready or failed, and keeps the answer. A
 * 404 means the platform has none for the asset (an image, no speech track): kept as `none`,
 * which Reelay answers 404 too.
 */
export const transcribeAsset: StepHandler<"asset.transcribe"> = {
  type: "asset.transcribe",

  async run(ctx, { assetId }) {
    const transcription = await ctx.prisma.assetTranscription.findUnique({ where: { assetId }, include: { asset: true } });
    if (!transcription || !isOpenTranscription(transcription.status)) return finished;
    const { asset } = transcription;
    // Deleting the asset cancels this job.
    if (asset.deletedAt) return finished;
    if (asset.status === "failed") {
      const errorMessage = `Asset ${asset.id} has no transcription: its upload failed.`;
      await ctx.commit((tx, job) => changeTranscription(tx, asset.id, { status: "none", errorMessage }, job(jobSucceeded())));
      return finished;
    }
    if (asset.status !== "ready" || !asset.upstreamId) return awaitDependency("await_asset");

    let upstream;
    try {
      upstream = await ctx.platform.getAssetTranscription(asset.upstreamId);
    } catch (error) {
      if (!(error instanceof PlatformError && error.status === 404)) throw error;
      // The platform's reason, about Reelay's asset: its id never leaks.
      const errorMessage = error.message.slice(error.operation.length + 2).replaceAll(asset.upstreamId, asset.id) || `Asset ${asset.id} has no transcription.`;
      await ctx.commit((tx, job) => changeTranscription(tx, asset.id, { status: "none", errorMessage }, job(jobSucceeded())));
      return finished;
    }

    switch (upstream.status) {
      case "ready":
        await ctx.commit((tx, job) => changeTranscription(tx, asset.id, { status: "ready", body: asJson(upstream) }, job(jobSucceeded())));
        return finished;
      case "failed": {
        const errorMessage = upstream.error?.message ?? "The platform could not transcribe the asset.";
        const failed = jobFailed({ code: "transcription_failed", message: errorMessage, retryable: false });
        await ctx.commit((tx, job) => changeTranscription(tx, asset.id, { status: "failed", body: asJson(upstream), errorMessage }, job(failed)));
        return finished;
      }
      case "processing":
        if (transcription.status === "processing") return pollRemote("await_transcription");
        await ctx.commit((tx, job) => changeTranscription(tx, asset.id, { status: "processing" }, job()));
        return progressed("await_transcription");
      default:
        return pollRemote("await_transcription");
    }
  },
};

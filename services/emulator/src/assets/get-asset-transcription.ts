import { AppError } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { transcribe } from "../media/transcribe.ts";
import type { TranscriptionRecord } from "../state/emulator-state.ts";
import { getAsset } from "./get-asset.ts";

/**
 * The asset's transcription, started on the first request for it: the contract only promises
 * that transcriptions are generated asynchronously and polled, and recognising speech in every
 * upload would cost the emulator's host far more than the few clients that ask. `pending` while
 * the asset itself is still processing; 404 when the asset has nothing to transcribe (an image,
 * no audio track, a failed upload), as the platform answers for assets without a transcription.
 */
export function getAssetTranscription(ctx: EmulatorContext, assetId: string): TranscriptionRecord | { status: "pending" } {
  const asset = getAsset(ctx, assetId);
  if (asset.status === "processing") return { status: "pending" };
  const facts = asset.facts;
  if (asset.status === "failed" || !facts || !asset.filePath) throw noTranscription(asset.id, "its upload failed");
  if (facts.kind === "image") throw noTranscription(asset.id, "it is an image");
  if (facts.audio.length === 0) throw noTranscription(asset.id, "it has no audio track");
  if (asset.transcription) return asset.transcription;

  if (!ctx.config.asr) {
    asset.transcription = { status: "failed", segments: undefined, failure: "speech recognition is turned off in this emulator (EMULATOR_ASR)" };
    return asset.transcription;
  }
  const record: TranscriptionRecord = { status: "processing", segments: undefined, failure: undefined };
  asset.transcription = record;
  const path = asset.filePath;
  ctx.background.run(async () => {
    try {
      const segments = await transcribe(path, { ffmpegPath: ctx.config.ffmpegPath, signal: ctx.background.signal, timeoutMs: ctx.config.mediaTimeoutMs, limit: ctx.limits.media });
      Object.assign(record, { status: "ready", segments });
    } catch (error) {
      if (ctx.background.closed) return;
      Object.assign(record, { status: "failed", failure: error instanceof Error ? error.message : String(error) });
    }
  });
  return record;
}

function noTranscription(assetId: string, reason: string): AppError {
  return new AppError({
    code: "asset_transcription/not_found",
    platformCode: "resource_not_exist",
    status: 404,
    message: `Asset ${assetId} has no transcription: ${reason}.`,
  });
}

import type { AssetTranscription as AssetTranscriptionWire, TranscriptionSegmentation } from "@reelay/contract";
import type { AssetTranscription } from "@reelay/db";

/**
 * A stored transcription as the platform answers it: once ready, only the segmentations asked for
 * (and that it has); before, just the status; failed, with the reason. (`none` is a 404, answered
 * by the caller.)
 */
export function toTranscriptionWire(row: AssetTranscription, include: readonly TranscriptionSegmentation[]): AssetTranscriptionWire {
  switch (row.status) {
    case "ready": {
      const body = (row.body ?? {}) as Partial<Record<TranscriptionSegmentation, unknown>>;
      const wanted = include.filter((segmentation) => body[segmentation] !== undefined && body[segmentation] !== null);
      return { status: "ready", ...Object.fromEntries(wanted.map((segmentation) => [segmentation, body[segmentation]])) } as AssetTranscriptionWire;
    }
    case "failed":
      return { status: "failed", error: { message: row.errorMessage ?? "The transcription could not be made." } };
    case "processing":
      return { status: "processing" };
    default:
      return { status: "pending" };
  }
}

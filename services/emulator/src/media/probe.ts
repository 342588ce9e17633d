import { extname } from "node:path";
import { z } from "zod";
import type { ConcurrencyLimit } from "../concurrency-limit.ts";
import type { AudioStreamFacts, MediaFacts, VideoStreamFacts } from "./media-facts.ts";
import { lastLine, runTool } from "./run-tool.ts";

/** The file is not usable media; `message` is the reason shown in the asset's `error.message`. */
export class MediaRejected extends Error {
  override readonly name = "MediaRejected";
}

export interface ProbeOptions {
  ffprobePath: string;
  ffmpegPath: string;
  signal: AbortSignal;
  timeoutMs: number;
  limit: ConcurrencyLimit;
}

const numeric = z.preprocess((v) => (v === undefined || v === "N/A" ? undefined : Number(v)), z.number().finite().optional());

const FfprobeOutput = z.object({
  format: z
    .object({
      format_name: z.string().optional(),
      duration: numeric,
      size: numeric,
      bit_rate: numeric,
    })
    .optional(),
  streams: z
    .array(
      z.object({
        index: z.number(),
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        codec_long_name: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        r_frame_rate: z.string().optional(),
        avg_frame_rate: z.string().optional(),
        duration: numeric,
        bit_rate: numeric,
        pix_fmt: z.string().optional(),
        display_aspect_ratio: z.string().optional(),
        sample_aspect_ratio: z.string().optional(),
        sample_rate: numeric,
        channels: z.number().optional(),
        channel_layout: z.string().optional(),
        disposition: z.object({ attached_pic: z.number().optional() }).optional(),
        tags: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default([]),
});
type FfprobeStream = z.infer<typeof FfprobeOutput>["streams"][number];

const IMAGE_FORMATS = /(^|,)(image2|[a-z0-9]+_pipe|gif|apng)(,|$)/;
/** ffprobe "recognises" plain text as an ANSI-art video; that is not media. */
const NOT_MEDIA_FORMATS = new Set(["tty", "txt", "srt", "ass", "webvtt", "lrc", "json"]);

/**
 * Runs `ffprobe -show_format -show_streams` and, for video and audio, decodes the first seconds,
 * because the platform fails assets that do not pass a playability check.
 */
export async function probeMedia(path: string, filename: string, options: ProbeOptions): Promise<MediaFacts> {
  const run = { signal: options.signal, timeoutMs: options.timeoutMs, limit: options.limit };
  const result = await runTool(
    options.ffprobePath,
    ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
    run,
  );
  if (result.code !== 0) throw new MediaRejected(`the file is not a playable media file: ${lastLine(result.stderr)}`);

  let raw: unknown;
  try {
    raw = JSON.parse(result.stdout);
  } catch {
    throw new MediaRejected("the file is not a playable media file: ffprobe produced no readable description");
  }
  const parsed = FfprobeOutput.safeParse(raw);
  const format = parsed.success ? parsed.data.format : undefined;
  if (!parsed.success || !format?.format_name || NOT_MEDIA_FORMATS.has(format.format_name)) {
    throw new MediaRejected("the file is not a playable media file: no known container format was recognised");
  }

  const streams = parsed.data.streams;
  const videoStreams = streams.filter((s) => s.codec_type === "video" && !s.disposition?.attached_pic);
  const audioStreams = streams.filter((s) => s.codec_type === "audio");
  if (videoStreams.length === 0 && audioStreams.length === 0) {
    throw new MediaRejected("the file is not a playable media file: it has no video or audio stream");
  }
  if (videoStreams.some((s) => s.codec_name === "ansi")) {
    throw new MediaRejected("the file is not a playable media file: it is text, not video");
  }

  const kind = IMAGE_FORMATS.test(format.format_name) && audioStreams.length === 0 ? "image" : videoStreams.length > 0 ? "video" : "audio";
  const durationSec = kind === "image" ? undefined : format.duration ?? Math.max(0, ...streams.map((s) => s.duration ?? 0));
  if (kind !== "image" && !(durationSec && durationSec > 0)) {
    throw new MediaRejected("the file is not a playable media file: its duration is zero or unknown");
  }
  if (kind !== "image") {
    const decode = await runTool(options.ffmpegPath, ["-v", "error", "-xerror", "-t", "2", "-i", path, "-f", "null", "-"], run);
    if (decode.code !== 0) throw new MediaRejected(`the file is not a playable media file: decoding failed: ${lastLine(decode.stderr)}`);
  }

  return {
    kind,
    containerFormat: format.format_name,
    mimeType: mimeTypeOf(format.format_name, filename, kind),
    sizeBytes: format.size ?? 0,
    durationSec: durationSec === undefined ? undefined : round(durationSec, 3),
    video: videoStreams.map(videoFacts),
    audio: audioStreams.map(audioFacts),
  };
}

function videoFacts(s: FfprobeStream): VideoStreamFacts {
  const avgFps = rate(s.avg_frame_rate);
  return {
    index: s.index,
    codec: s.codec_name,
    width: s.width,
    height: s.height,
    fps: avgFps ?? rate(s.r_frame_rate),
    avgFps,
    durationSec: s.duration === undefined ? undefined : round(s.duration, 3),
    bitrateBps: s.bit_rate,
    pixelFormat: s.pix_fmt,
    displayAspectRatio: s.display_aspect_ratio,
    pixelAspectRatio: s.sample_aspect_ratio,
  };
}

function audioFacts(s: FfprobeStream): AudioStreamFacts {
  return {
    index: s.index,
    codec: s.codec_name,
    codecLong: s.codec_long_name,
    sampleRate: s.sample_rate,
    channels: s.channels,
    channelLayout: s.channel_layout,
    bitrateBps: s.bit_rate,
    language: s.tags?.["language"],
    durationSec: s.duration === undefined ? undefined : round(s.duration, 3),
  };
}

/** "30000/1001" → 29.97; "0/0" → undefined. */
function rate(value: string | undefined): number | undefined {
  const [num, den] = (value ?? "").split("/").map(Number);
  if (!num || !den || !Number.isFinite(num / den)) return undefined;
  return round(num / den, 3);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function mimeTypeOf(formatName: string, filename: string, kind: MediaFacts["kind"]): string {
  const ext = extname(filename).toLowerCase();
  const formats = formatName.split(",");
  const has = (name: string) => formats.includes(name);
  if (has("mov") || has("mp4")) {
    if (ext === ".mov") return "video/quicktime";
    if (ext === ".3gp") return "video/3gpp";
    return kind === "audio" ? "audio/mp4" : "video/mp4";
  }
  if (has("webm") || has("matroska")) return ext === ".webm" ? (kind === "audio" ? "audio/webm" : "video/webm") : "video/x-matroska";
  const byFormat: Record<string, string> = {
    avi: "video/x-msvideo",
    mpegts: "video/mp2t",
    mpeg: "video/mpeg",
    flv: "video/x-flv",
    mp3: "audio/mpeg",
    wav: "audio/wav",
    flac: "audio/flac",
    aac: "audio/aac",
    ogg: kind === "audio" ? "audio/ogg" : "video/ogg",
    png_pipe: "image/png",
    jpeg_pipe: "image/jpeg",
    webp_pipe: "image/webp",
    gif: "image/gif",
    bmp_pipe: "image/bmp",
    tiff_pipe: "image/tiff",
  };
  for (const name of formats) {
    const mime = byFormat[name];
    if (mime) return mime;
  }
  if (kind === "image") return ext === ".png" ? "image/png" : "image/jpeg";
  return "application/octet-stream";
}

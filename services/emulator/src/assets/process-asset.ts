import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { EmulatorContext } from "../context.ts";
import { MediaRejected, probeMedia } from "../media/probe.ts";
import type { MediaFacts } from "../media/media-facts.ts";
import type { AssetRecord } from "../state/emulator-state.ts";
import { startDerivedMedia } from "./derive-media.ts";
import { DownloadFailed, downloadUrl } from "./download-url.ts";

type Outcome = { status: "ready"; facts: MediaFacts; filePath: string } | { status: "failed"; failure: string };

/**
 * Moves a new asset from `processing` to `ready` or `failed`: fetch the bytes (url), probe them,
 * and publish the result no earlier than the configured minimum processing time, so clients
 * always observe `processing` first as they do on the platform. A ready asset then produces the
 * thumbnail and HLS stream it asked for. An asset whose uploader declared its type (multipart)
 * fails when the file turns out to be another kind of media.
 */
export function processAsset(ctx: EmulatorContext, asset: AssetRecord, source: { url: string } | { filePath: string }): void {
  const started = Date.now();
  ctx.background.run(async () => {
    const outcome = await settle(ctx, asset, source);
    const wait = ctx.config.assetProcessingMs - (Date.now() - started);
    const publish = () => {
      // A deleted asset stays deleted.
      if (ctx.state.assets.get(asset.id) !== asset) return;
      if (outcome.status === "ready") {
        Object.assign(asset, { status: "ready", facts: outcome.facts, filePath: outcome.filePath, fileType: outcome.facts.mimeType });
        startDerivedMedia(ctx, asset);
      } else {
        Object.assign(asset, { status: "failed", failure: outcome.failure });
      }
    };
    if (wait > 0) ctx.background.after(wait, publish);
    else publish();
  });
}

async function settle(ctx: EmulatorContext, asset: AssetRecord, source: { url: string } | { filePath: string }): Promise<Outcome> {
  const { config, background } = ctx;
  try {
    let filePath: string;
    if ("url" in source) {
      const dir = join(ctx.workDir, "downloads");
      await mkdir(dir, { recursive: true });
      filePath = join(dir, asset.id);
      // The time-out starts with the download, not with the wait for a free place.
      const download = await ctx.limits.downloads.run(background.signal, () =>
        downloadUrl(source.url, filePath, {
          maxBytes: config.maxUrlBytes,
          timeoutMs: config.downloadTimeoutMs,
          signal: background.signal,
          allowPrivate: config.allowPrivateUrls,
        }),
      );
      asset.fileType ??= download.contentType?.split(";")[0];
    } else {
      filePath = source.filePath;
    }
    const facts = await probeMedia(filePath, asset.filename, {
      ffprobePath: config.ffprobePath,
      ffmpegPath: config.ffmpegPath,
      signal: background.signal,
      timeoutMs: config.mediaTimeoutMs,
      limit: ctx.limits.media,
    });
    if (asset.declaredKind && asset.declaredKind !== facts.kind) {
      return { status: "failed", failure: `the file is ${/^[aeiou]/.test(facts.kind) ? "an" : "a"} ${facts.kind} file, but the upload declared type ${asset.declaredKind}` };
    }
    return { status: "ready", facts, filePath };
  } catch (error) {
    if (error instanceof DownloadFailed || error instanceof MediaRejected) return { status: "failed", failure: error.message };
    if (background.closed) throw error;
    // ffprobe missing, disk full...: still an asset failure, never a stuck `processing`.
    return { status: "failed", failure: `the emulator could not process the file: ${error instanceof Error ? error.message : String(error)}` };
  }
}

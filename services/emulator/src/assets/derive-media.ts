import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { EmulatorContext } from "../context.ts";
import type { ToolRunOptions } from "../media/tool-run-options.ts";
import type { AssetRecord, DerivedMedia } from "../state/emulator-state.ts";
import { makeHls } from "./make-hls.ts";
import { makeThumbnail } from "./make-thumbnail.ts";

/**
 * Once an asset is ready, produces the renditions its uploader asked for, each moving
 * `processing → ready | error` on its own. The platform ignores `enable_hls` for images; the
 * emulator ignores `enable_thumbnail` for audio likewise (there is no picture to take).
 */
export function startDerivedMedia(ctx: EmulatorContext, asset: AssetRecord): void {
  const facts = asset.facts;
  if (!facts || !asset.filePath) return;
  const source = asset.filePath;
  const options: ToolRunOptions = { ffmpegPath: ctx.config.ffmpegPath, signal: ctx.background.signal, timeoutMs: ctx.config.mediaTimeoutMs, limit: ctx.limits.media };

  if (asset.enableThumbnail && facts.kind !== "audio") {
    const dir = join(ctx.workDir, "thumbnails");
    const target = join(dir, `${asset.id}.jpg`);
    asset.thumbnail = derive(ctx, asset, {
      produce: async () => {
        await mkdir(dir, { recursive: true });
        await makeThumbnail(source, facts, target, options);
        return target;
      },
      discard: () => rm(target, { force: true }),
    });
  }
  if (asset.enableHls && facts.kind !== "image") {
    const dir = hlsDir(ctx, asset.id);
    asset.hls = derive(ctx, asset, { produce: () => makeHls(source, facts, dir, options), discard: () => rm(dir, { recursive: true, force: true }) });
  }
}

export function hlsDir(ctx: EmulatorContext, assetId: string): string {
  return join(ctx.workDir, "hls", assetId);
}

/**
 * Runs `produce` in the background; the returned record turns `ready` with the produced path, or
 * `error`. What an asset deleted meanwhile leaves behind is discarded.
 */
function derive(ctx: EmulatorContext, asset: AssetRecord, work: { produce: () => Promise<string>; discard: () => Promise<void> }): DerivedMedia {
  const media: DerivedMedia = { status: "processing", path: undefined };
  ctx.background.run(async () => {
    try {
      const path = await work.produce();
      if (ctx.state.assets.get(asset.id) !== asset) await work.discard();
      else Object.assign(media, { status: "ready", path });
    } catch (error) {
      if (ctx.background.closed) return;
      await work.discard();
      media.status = "error";
      // The wire has no room for the reason; the operator's log does.
      console.warn(`[emulator] asset ${asset.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return media;
}

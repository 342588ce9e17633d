import type { ItemStatus } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import { extractMedia } from "../media/extract-media.ts";
import type { Extraction } from "../media/media-facts.ts";
import type { ItemRecord } from "../state/emulator-state.ts";

/**
 * Walks a new item through `queued → pending → processing → ready | failed`, one configured
 * stage length per step; in `processing` the media is really analysed (scenes, silences, speech),
 * and the item stays there at least one stage length even when analysis is quicker.
 */
export function startIndexing(ctx: EmulatorContext, item: ItemRecord): void {
  const stageMs = ctx.config.itemStageMs;
  const alive = () => ctx.state.items.get(item.id) === item;

  ctx.background.after(stageMs, () => {
    if (!alive()) return;
    setStatus(item, "pending");
    ctx.background.after(stageMs, async () => {
      if (!alive()) return;
      setStatus(item, "processing");
      const started = Date.now();
      const outcome = await analyse(ctx, item);
      const publish = () => {
        if (!alive()) return;
        if ("extraction" in outcome) item.extraction = outcome.extraction;
        else item.failure = outcome.failure;
        setStatus(item, "extraction" in outcome ? "ready" : "failed");
      };
      const wait = stageMs - (Date.now() - started);
      if (wait > 0) ctx.background.after(wait, publish);
      else publish();
    });
  });
}

async function analyse(ctx: EmulatorContext, item: ItemRecord): Promise<{ extraction: Extraction } | { failure: string }> {
  const asset = ctx.state.assets.get(item.assetId);
  if (!asset?.filePath) return { failure: "the asset was deleted before the item could be indexed" };
  if (item.assetType === "image") return { extraction: { sceneChanges: [], silences: [], transcript: undefined, transcriptNote: "images have no audio" } };
  try {
    const extraction = await extractMedia(asset.filePath, item.facts, {
      ffmpegPath: ctx.config.ffmpegPath,
      signal: ctx.background.signal,
      timeoutMs: ctx.config.mediaTimeoutMs,
      limit: ctx.limits.media,
      asr: ctx.config.asr,
    });
    return { extraction };
  } catch (error) {
    if (ctx.background.closed) throw error;
    return { failure: `indexing failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function setStatus(item: ItemRecord, status: ItemStatus): void {
  item.status = status;
  item.updatedAt = new Date();
}

import { basename } from "node:path";
import { newAssetId } from "@reelay/contract";
import type { CreateAssetForm } from "@reelay/contract";
import type { EmulatorContext } from "../context.ts";
import type { AssetRecord } from "../state/emulator-state.ts";
import { processAsset } from "./process-asset.ts";

export interface UploadedFile {
  path: string;
  originalname: string;
  mimetype: string;
}

/** Registers the asset as `processing` and starts fetching/probing it in the background. */
export function createAsset(ctx: EmulatorContext, form: CreateAssetForm, file: UploadedFile | undefined): AssetRecord {
  const now = new Date();
  const asset: AssetRecord = {
    id: newAssetId(now.getTime()),
    method: form.method,
    status: "processing",
    filename: form.filename ?? (form.method === "direct" ? file?.originalname : undefined) ?? filenameFromUrl(form.url),
    fileType: form.method === "direct" && file?.mimetype !== "application/octet-stream" ? file?.mimetype : undefined,
    createdAt: now,
    userMetadata: form.user_metadata,
    enableHls: form.enable_hls ?? false,
    enableThumbnail: form.enable_thumbnail ?? false,
    // Known now for uploads, so deleting a still-processing asset also removes its bytes.
    filePath: form.method === "direct" ? file?.path : undefined,
    facts: undefined,
    failure: undefined,
    seq: ctx.state.nextSeq(),
  };
  ctx.state.assets.set(asset.id, asset);
  processAsset(ctx, asset, form.method === "url" ? { url: form.url ?? "" } : { filePath: file?.path ?? "" });
  return asset;
}

function filenameFromUrl(url: string | undefined): string {
  try {
    const name = basename(decodeURIComponent(new URL(url ?? "").pathname));
    return name || "asset";
  } catch {
    return "asset";
  }
}

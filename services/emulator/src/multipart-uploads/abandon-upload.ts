import type { EmulatorContext } from "../context.ts";
import { discardChunks } from "./get-upload.ts";

/** The asset of an unfinished multipart upload was deleted: the session fails and its chunks go. */
export function abandonUploadOf(ctx: EmulatorContext, assetId: string): void {
  for (const upload of ctx.state.uploads.values()) {
    if (upload.assetId !== assetId || upload.status !== "active") continue;
    upload.status = "failed";
    upload.updatedAt = new Date();
    discardChunks(ctx, upload);
  }
}

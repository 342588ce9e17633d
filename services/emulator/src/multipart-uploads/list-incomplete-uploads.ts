import type { EmulatorContext } from "../context.ts";
import { byCreation } from "../http/paginate.ts";
import type { MultipartUploadRecord } from "../state/emulator-state.ts";

/** Sessions not completed (active, failed or expired), newest first. */
export function listIncompleteUploads(ctx: EmulatorContext): MultipartUploadRecord[] {
  return [...ctx.state.uploads.values()].filter((upload) => upload.status !== "completed").sort(byCreation("created_at", "desc"));
}

import type { MultipartUploadRecord } from "../state/emulator-state.ts";

/** Every chunk is `chunk_size` bytes except the last, which holds the rest. */
export function expectedChunkSize(upload: MultipartUploadRecord, chunkIndex: number): number {
  return chunkIndex < upload.totalChunks ? upload.chunkSize : upload.totalSize - (upload.totalChunks - 1) * upload.chunkSize;
}

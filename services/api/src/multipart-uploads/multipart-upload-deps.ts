import type { Queue } from "bullmq";
import type { PrismaClient } from "@reelay/db";
import type { ChunkUrlSigner } from "./chunk-url-signer.ts";

export interface MultipartUploadDeps {
  prisma: PrismaClient;
  queue: Queue;
  /** Where chunks wait (`multipart/<upload_id>/`) and the joined file lands; shared with the worker. */
  blobDir: string;
  /** Chunk size offered to new uploads (MULTIPART_CHUNK_BYTES). */
  chunkBytes: number;
  signer: ChunkUrlSigner;
  log: (message: string, error?: unknown) => void;
}

import type { EnrichmentConfig, ItemStatus } from "@reelay/contract";
import type { SearchHit } from "@reelay/contract";
import type { Extraction, MediaFacts, TranscriptSegment } from "../media/media-facts.ts";

export type AssetKind = "video" | "audio" | "image";

/** A rendition derived from a ready asset (HLS stream, thumbnail); `path` exists once `ready`. */
export interface DerivedMedia {
  status: "pending" | "processing" | "ready" | "error";
  path: string | undefined;
}

/** Speech recognised in an asset, produced on the first request for it. */
export interface TranscriptionRecord {
  status: "processing" | "ready" | "failed";
  segments: TranscriptSegment[] | undefined;
  failure: string | undefined;
}

export interface AssetRecord {
  id: string;
  method: "direct" | "url" | "multipart";
  status: "processing" | "ready" | "failed";
  filename: string;
  /** MIME type: the uploader's claim until probed, then derived from the container. */
  fileType: string | undefined;
  createdAt: Date;
  userMetadata: Record<string, string | number | boolean> | undefined;
  enableHls: boolean;
  enableThumbnail: boolean;
  /** Where the bytes live once received. */
  filePath: string | undefined;
  facts: MediaFacts | undefined;
  failure: string | undefined;
  /** The type the uploader declared (multipart `type`); the probed kind wins once known. */
  declaredKind?: AssetKind | undefined;
  /** Present once requested and the asset is ready; absent while the asset is processing. */
  hls?: DerivedMedia | undefined;
  thumbnail?: DerivedMedia | undefined;
  transcription?: TranscriptionRecord | undefined;
  /** Insertion order, to break created_at ties when sorting. */
  seq: number;
}

export interface KnowledgeStoreRecord {
  id: string;
  name: string;
  description: string | undefined;
  metadata: Record<string, string> | undefined;
  enrichmentConfig: EnrichmentConfig | undefined;
  createdAt: Date;
  updatedAt: Date;
  seq: number;
}

export interface ItemRecord {
  id: string;
  storeId: string;
  assetId: string;
  assetType: "video" | "image";
  status: ItemStatus;
  metadata: Record<string, string> | undefined;
  /** Snapshot of the asset taken when the item was created; survives deletion of the asset. */
  filename: string;
  facts: MediaFacts;
  extraction: Extraction | undefined;
  failure: string | undefined;
  createdAt: Date;
  updatedAt: Date;
  seq: number;
}

export interface CollectionRecord {
  id: string;
  storeId: string;
  name: string;
  description: string | undefined;
  metadata: Record<string, string> | undefined;
  /** Member item ids in the order they were added. */
  memberIds: Set<string>;
  createdAt: Date;
  updatedAt: Date;
  seq: number;
}

export interface ChunkRecord {
  /** The bytes last PUT to a presigned URL of this chunk, with their ETag (MD5, unquoted). */
  received: { path: string; etag: string; size: number } | undefined;
  status: "pending" | "completed" | "failed";
  uploadedAt: Date | undefined;
  updatedAt: Date | undefined;
  error: string | undefined;
}

export interface PresignedUrlRecord {
  chunkIndex: number;
  expiresAt: Date;
  used: boolean;
}

export interface MultipartUploadRecord {
  id: string;
  assetId: string;
  status: "active" | "completed" | "failed" | "expired";
  totalSize: number;
  chunkSize: number;
  totalChunks: number;
  /** Index 0 is chunk 1: the wire is 1-based. */
  chunks: ChunkRecord[];
  /** Presigned URL tokens handed out, by token. */
  urls: Map<string, PresignedUrlRecord>;
  /** Where the chunks live until the file is assembled. */
  dir: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  seq: number;
}

/** A page token of a search: where its page starts in the search's ranked results. */
export interface SearchCursorRecord {
  token: string;
  storeId: string;
  /** All hits of the search, ranked; shared by the search's tokens. */
  results: SearchHit[];
  offset: number;
  expiresAt: Date;
}

export interface SessionRecord {
  id: string;
  storeId: string;
  /** Number of assistant messages produced so far; the next message id ends in this number. */
  turns: number;
}

/** All emulator state; one per app instance, gone when the process ends. */
export class EmulatorState {
  readonly assets = new Map<string, AssetRecord>();
  readonly stores = new Map<string, KnowledgeStoreRecord>();
  readonly items = new Map<string, ItemRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly collections = new Map<string, CollectionRecord>();
  readonly uploads = new Map<string, MultipartUploadRecord>();
  readonly searchCursors = new Map<string, SearchCursorRecord>();
  private counter = 0;

  nextSeq(): number {
    this.counter += 1;
    return this.counter;
  }

  itemsOf(storeId: string): ItemRecord[] {
    return [...this.items.values()].filter((item) => item.storeId === storeId);
  }

  collectionsOf(storeId: string): CollectionRecord[] {
    return [...this.collections.values()].filter((collection) => collection.storeId === storeId);
  }

  /** Items of any store made from the asset. */
  itemsUsing(assetId: string): ItemRecord[] {
    return [...this.items.values()].filter((item) => item.assetId === assetId);
  }
}

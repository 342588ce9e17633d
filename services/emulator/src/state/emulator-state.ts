import type { EnrichmentConfig, ItemStatus } from "@reelay/contract";
import type { Extraction, MediaFacts } from "../media/media-facts.ts";

export interface AssetRecord {
  id: string;
  method: "direct" | "url";
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
  private counter = 0;

  nextSeq(): number {
    this.counter += 1;
    return this.counter;
  }

  itemsOf(storeId: string): ItemRecord[] {
    return [...this.items.values()].filter((item) => item.storeId === storeId);
  }
}

import { createReadStream } from "node:fs";
import { TwelvelabsApiClient, type TwelvelabsApi } from "twelvelabs-js";
import { toPlatformError } from "./platform-error.ts";

export interface PlatformClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Per-call timeout. Default 60 s. */
  timeoutSeconds?: number;
}

/** The key under which Reelay's own id is stamped on every upstream object, for crash recovery. */
export const REELAY_ID_KEY = "reelay_id";
/** How many pages a recovery lookup scans before concluding the object was never created. */
const LOOKUP_PAGES = 20;

/**
 * The one module that talks to the platform, through the official SDK. Transport retries are
 * off (maxRetries 0): BullMQ owns the retry policy, so attempts are counted in one place.
 */
export function createPlatformClient(options: PlatformClientOptions) {
  const client = new TwelvelabsApiClient({ apiKey: options.apiKey, environment: options.baseUrl });
  const requestOptions = { timeoutInSeconds: options.timeoutSeconds ?? 60, maxRetries: 0 };

  async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toPlatformError(error, operation);
    }
  }

  async function scan<T>(operation: string, fetchPage: (page: number) => Promise<{ data?: T[] }>, match: (row: T) => boolean): Promise<T | undefined> {
    for (let page = 1; page <= LOOKUP_PAGES; page++) {
      const result = await call(operation, () => fetchPage(page));
      const rows = result.data ?? [];
      const found = rows.find(match);
      if (found) return found;
      if (rows.length === 0) return undefined;
    }
    return undefined;
  }

  return {
    createAsset(input: { reelayId: string; url?: string | undefined; filePath?: string | undefined; filename?: string | undefined; enableHls: boolean; enableThumbnail: boolean; userMetadata?: Record<string, unknown> | undefined }): Promise<TwelvelabsApi.Asset> {
      return call("create asset", () =>
        client.assets.create(
          {
            method: input.filePath ? "direct" : "url",
            ...(input.url ? { url: input.url } : {}),
            ...(input.filePath ? { file: createReadStream(input.filePath) } : {}),
            ...(input.filename ? { filename: input.filename } : {}),
            enableHls: input.enableHls,
            enableThumbnail: input.enableThumbnail,
            userMetadata: JSON.stringify({ ...input.userMetadata, [REELAY_ID_KEY]: input.reelayId }),
          },
          requestOptions,
        ),
      );
    },
    /** Finds an asset a crashed run may already have created (newest first, same filename). */
    findAsset(reelayId: string, filename: string | undefined): Promise<TwelvelabsApi.AssetDetail | undefined> {
      return scan(
        "find asset",
        async (page) => (await client.assets.list({ page, pageLimit: 50, ...(filename ? { filename } : {}) }, requestOptions)),
        (asset) => asset.userMetadata?.[REELAY_ID_KEY] === reelayId,
      );
    },
    getAsset(assetId: string): Promise<TwelvelabsApi.AssetDetail> {
      return call("retrieve asset", () => client.assets.retrieve(assetId, requestOptions));
    },
    createKnowledgeStore(input: { reelayId: string; name: string; description?: string | undefined; metadata?: Record<string, string> | undefined; ingestionConfig?: TwelvelabsApi.IngestionConfig | undefined }): Promise<TwelvelabsApi.KnowledgeStore> {
      return call("create knowledge store", () =>
        client.knowledgeStores.create(
          {
            name: input.name,
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.ingestionConfig ? { ingestionConfig: input.ingestionConfig } : {}),
            metadata: { ...input.metadata, [REELAY_ID_KEY]: input.reelayId },
          },
          requestOptions,
        ),
      );
    },
    findKnowledgeStore(reelayId: string): Promise<TwelvelabsApi.KnowledgeStore | undefined> {
      return scan(
        "find knowledge store",
        async (page) => (await client.knowledgeStores.list({ page, pageLimit: 50, sortBy: "created_at", sortOption: "desc" }, requestOptions)),
        (store) => store.metadata?.[REELAY_ID_KEY] === reelayId,
      );
    },
    createItem(knowledgeStoreId: string, input: { reelayId: string; assetId: string; assetType: "video" | "image"; metadata?: Record<string, string> | undefined }): Promise<TwelvelabsApi.KnowledgeStoreItem> {
      return call("create knowledge store item", () =>
        client.knowledgeStoreItems.create(
          knowledgeStoreId,
          { assetId: input.assetId, assetType: input.assetType, metadata: { ...input.metadata, [REELAY_ID_KEY]: input.reelayId } },
          requestOptions,
        ),
      );
    },
    findItem(knowledgeStoreId: string, reelayId: string): Promise<TwelvelabsApi.KnowledgeStoreItem | undefined> {
      return scan(
        "find knowledge store item",
        async (page) => (await client.knowledgeStoreItems.list(knowledgeStoreId, { page, pageLimit: 50, sortBy: "created_at", sortOption: "desc" }, requestOptions)),
        (item) => item.metadata?.[REELAY_ID_KEY] === reelayId,
      );
    },
    getItem(knowledgeStoreId: string, itemId: string): Promise<TwelvelabsApi.KnowledgeStoreItem> {
      return call("retrieve knowledge store item", () => client.knowledgeStoreItems.retrieve(knowledgeStoreId, itemId, requestOptions));
    },
    createResponse(request: TwelvelabsApi.ResponsesCreateRequest): Promise<TwelvelabsApi.ResponseObject> {
      return call("create response", () => client.responses.create(request, requestOptions));
    },
  };
}

export type PlatformClient = ReturnType<typeof createPlatformClient>;

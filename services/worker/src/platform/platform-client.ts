import { openAsBlob } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { ResponseStreamEvent, isTerminalStreamEvent } from "@reelay/contract";
import { fromResponse, fromTransport, PlatformError, type FaultKind } from "./platform-error.ts";
import { unlimited, type PlatformLimiter } from "./platform-limiter.ts";
import { UpstreamChunkReport, UpstreamChunkUrls, UpstreamUploadSession, UpstreamUploadStatus } from "./upstream-multipart-schemas.ts";
import { createSseParser } from "./sse-parser.ts";
import { UpstreamCollection, UpstreamSearch } from "./upstream-store-schemas.ts";
import { NoContent, UpstreamAsset, UpstreamItem, UpstreamKnowledgeStore, upstreamPage, UpstreamResponse, UpstreamTranscription } from "./upstream-schemas.ts";

export interface PlatformClientOptions {
  /** The platform, including the version path, e.g. https://api.twelvelabs.io/v1.3. */
  baseUrl: string;
  apiKey: string;
  /** Time-out of one call, ms. Default 60000. */
  timeoutMs?: number;
  /** Time-out of a direct upload (the file travels in the call), ms. Default 900000. */
  uploadTimeoutMs?: number;
  /**
   * Largest file sent in one direct upload (`POST /assets` with the file); larger ones go by the
   * platform's multipart flow. Default 200 MB, the platform's own limit (DIRECT_UPLOAD_MAX_BYTES).
   */
  directUploadMaxBytes?: number;
  /**
   * Time-out of a whole streamed answer, ms. Default 600000 (the response job's deadline). Silence
   * (no bytes) in the stream is bounded by `timeoutMs`, like any call.
   */
  streamTimeoutMs?: number;
  /** The shared gate every call passes (429 pauses, calls-per-second budget). Default none. */
  limiter?: PlatformLimiter;
  /** Told the outcome of every call (logs, health, metrics). */
  report?: (call: { operation: string; outcome: "ok" | FaultKind; ms: number; status?: number | undefined }) => void;
  fetch?: typeof fetch;
}

/** The key under which Reelay's own id is stamped on every upstream object, for crash recovery. */
export const REELAY_ID_KEY = "reelay_id";
/**
 * How far the platform's clock may be behind ours. A recovery look-up scans objects newest first
 * until they are older than the create it looks for, minus this.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;
const PAGE = 50;

const collectionsPath = (storeId: string) => `/knowledge-stores/${encodeURIComponent(storeId)}/item-collections`;

/** A query string; an array repeats its key (`include=words&include=sentences`). */
type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/**
 * The one module that talks to the platform, at the wire: fetch with a time-out on every call,
 * the platform's JSON passed through as it came (a caller's JSON schema and the platform's answers
 * are never renamed), every failure classified once (platform-error.ts). It does not retry: the
 * step runner owns retries, so attempts are counted in one place.
 */
export function createPlatformClient(options: PlatformClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const limiter = options.limiter ?? unlimited;
  const timeoutMs = options.timeoutMs ?? 60_000;

  async function call<S extends z.ZodType>(
    operation: string,
    request: { method: string; path: string; query?: Query; json?: unknown; form?: FormData; timeoutMs?: number },
    schema: S,
  ): Promise<z.infer<S>> {
    await limiter.acquire(operation);
    const url = new URL(`${base}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const started = performance.now();
    const finish = (outcome: "ok" | FaultKind, status?: number) => options.report?.({ operation, outcome, ms: Math.round(performance.now() - started), status });
    let response: Response;
    try {
      response = await doFetch(url, {
        method: request.method,
        headers: { "x-api-key": options.apiKey, accept: "application/json", ...(request.json !== undefined ? { "content-type": "application/json" } : {}) },
        ...(request.json !== undefined ? { body: JSON.stringify(request.json) } : request.form ? { body: request.form } : {}),
        signal: AbortSignal.timeout(request.timeoutMs ?? timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      const failure = fromTransport(operation, error);
      finish(failure.kind);
      throw failure;
    }
    const text = await response.text().catch(() => "");
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: an HTML error page from a proxy, say; the status decides
    }
    if (!response.ok) {
      const failure = fromResponse(operation, response.status, body, response.headers.get("retry-after"));
      finish(failure.kind, response.status);
      if (failure.kind === "rate_limited") await limiter.pause(Math.max(failure.retryAfterMs ?? 1_000, 1_000));
      throw failure;
    }
    finish("ok", response.status);
    if (request.method === "DELETE") return undefined as z.infer<S>;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      // The platform answered 2xx with something we cannot read: a contract change, retried.
      throw new PlatformError(`${operation}: the platform's answer could not be read`, { status: response.status, code: "unreadable_answer", kind: "transient" });
    }
    return parsed.data;
  }

  /**
   * Finds the object a crashed run may have created: newest first, page by page, until a page is
   * empty or its objects are older than the create could be (`sentAt` minus the clock skew).
   */
  async function scan<T extends { created_at?: string | undefined }>(fetchPage: (page: number) => Promise<T[]>, match: (row: T) => boolean, sentAt: Date): Promise<T | undefined> {
    const oldest = sentAt.getTime() - CLOCK_SKEW_MS;
    for (let page = 1; ; page++) {
      const rows = await fetchPage(page);
      const found = rows.find(match);
      if (found) return found;
      if (rows.length < PAGE) return undefined;
      const last = rows.at(-1)?.created_at;
      if (last && Date.parse(last) < oldest) return undefined;
    }
  }

  const stamped = (reelayId: string) => (row: { user_metadata?: Record<string, unknown> | null; metadata?: Record<string, unknown> | null }) =>
    (row.user_metadata ?? row.metadata)?.[REELAY_ID_KEY] === reelayId;

  return {
    async createAsset(input: {
      reelayId: string;
      url?: string | undefined;
      filePath?: string | undefined;
      filename?: string | undefined;
      enableHls: boolean;
      enableThumbnail: boolean;
      userMetadata?: Record<string, unknown> | undefined;
    }): Promise<UpstreamAsset> {
      const form = new FormData();
      form.set("method", input.filePath ? "direct" : "url");
      if (input.url) form.set("url", input.url);
      // A Blob backed by the file: streamed from disk as the request goes out, never buffered whole.
      if (input.filePath) form.set("file", await openAsBlob(input.filePath), input.filename ?? path.basename(input.filePath));
      if (input.filename) form.set("filename", input.filename);
      form.set("enable_hls", String(input.enableHls));
      form.set("enable_thumbnail", String(input.enableThumbnail));
      form.set("user_metadata", JSON.stringify({ ...input.userMetadata, [REELAY_ID_KEY]: input.reelayId }));
      return call("create asset", { method: "POST", path: "/assets", form, ...(input.filePath ? { timeoutMs: options.uploadTimeoutMs ?? 900_000 } : {}) }, UpstreamAsset);
    },
    findAsset(reelayId: string, filename: string | undefined, sentAt: Date): Promise<UpstreamAsset | undefined> {
      const list = upstreamPage(UpstreamAsset);
      return scan<UpstreamAsset>(async (page) => (await call("find asset", { method: "GET", path: "/assets", query: { page, page_limit: PAGE, filename } }, list)).data, stamped(reelayId), sentAt);
    },
    getAsset: (assetId: string) => call("retrieve asset", { method: "GET", path: `/assets/${encodeURIComponent(assetId)}` }, UpstreamAsset),
    /** `force`: delete even while items use it (the platform's 409 otherwise). */
    deleteAsset: (assetId: string, options: { force?: boolean } = {}) =>
      call("delete asset", { method: "DELETE", path: `/assets/${encodeURIComponent(assetId)}`, query: { force: options.force ? true : undefined } }, UpstreamAsset),
    /** Replaces the asset's user metadata with the tenant's, Reelay's stamp kept (recovery finds the asset by it). */
    replaceAssetUserMetadata: (assetId: string, reelayId: string, userMetadata: Record<string, unknown> | undefined) =>
      call(
        "replace asset user metadata",
        { method: "PUT", path: `/assets/${encodeURIComponent(assetId)}/user-metadata`, json: { user_metadata: { ...userMetadata, [REELAY_ID_KEY]: reelayId } } },
        NoContent,
      ),
    /** The asset's transcription with every segmentation (404: the platform has none for it). */
    getAssetTranscription: (assetId: string) =>
      call("retrieve asset transcription", { method: "GET", path: `/assets/${encodeURIComponent(assetId)}/transcription`, query: { include: ["words", "sentences", "utterances"] } }, UpstreamTranscription),

    createKnowledgeStore(input: { reelayId: string; name: string; description?: string | undefined; metadata?: Record<string, string> | undefined; ingestionConfig?: unknown }) {
      const json = {
        name: input.name,
        ...(input.description !== undefined ? { description: input.description } : {}),
        // Stored in wire form as the client sent it (normalised to the tagged enrichment config).
        ...(input.ingestionConfig ? { ingestion_config: input.ingestionConfig } : {}),
        metadata: { ...input.metadata, [REELAY_ID_KEY]: input.reelayId },
      };
      return call("create knowledge store", { method: "POST", path: "/knowledge-stores", json }, UpstreamKnowledgeStore);
    },
    findKnowledgeStore(reelayId: string, sentAt: Date): Promise<UpstreamKnowledgeStore | undefined> {
      const list = upstreamPage(UpstreamKnowledgeStore);
      const query = { page_limit: PAGE, sort_by: "created_at", sort_option: "desc" };
      return scan<UpstreamKnowledgeStore>(async (page) => (await call("find knowledge store", { method: "GET", path: "/knowledge-stores", query: { ...query, page } }, list)).data, stamped(reelayId), sentAt);
    },
    deleteKnowledgeStore: (storeId: string) => call("delete knowledge store", { method: "DELETE", path: `/knowledge-stores/${encodeURIComponent(storeId)}` }, UpstreamKnowledgeStore),

    createItem(knowledgeStoreId: string, input: { reelayId: string; assetId: string; assetType?: string | undefined; metadata?: Record<string, string> | undefined }) {
      const json = { asset_id: input.assetId, ...(input.assetType ? { asset_type: input.assetType } : {}), metadata: { ...input.metadata, [REELAY_ID_KEY]: input.reelayId } };
      return call("create knowledge store item", { method: "POST", path: `/knowledge-stores/${encodeURIComponent(knowledgeStoreId)}/items`, json }, UpstreamItem);
    },
    findItem(knowledgeStoreId: string, reelayId: string, sentAt: Date): Promise<UpstreamItem | undefined> {
      const list = upstreamPage(UpstreamItem);
      const query = { page_limit: PAGE, sort_by: "created_at", sort_option: "desc" };
      const itemsPath = `/knowledge-stores/${encodeURIComponent(knowledgeStoreId)}/items`;
      return scan<UpstreamItem>(async (page) => (await call("find knowledge store item", { method: "GET", path: itemsPath, query: { ...query, page } }, list)).data, stamped(reelayId), sentAt);
    },
    /** One page of a store's items, most recently changed first (a store watcher's one call). */
    listItemsByChange: (knowledgeStoreId: string, page: number) =>
      call(
        "list knowledge store items",
        { method: "GET", path: `/knowledge-stores/${encodeURIComponent(knowledgeStoreId)}/items`, query: { page, page_limit: PAGE, sort_by: "updated_at", sort_option: "desc" } },
        upstreamPage(UpstreamItem),
      ).then((result) => result.data),
    getItem: (knowledgeStoreId: string, itemId: string) =>
      call("retrieve knowledge store item", { method: "GET", path: `/knowledge-stores/${encodeURIComponent(knowledgeStoreId)}/items/${encodeURIComponent(itemId)}` }, UpstreamItem),
    /** Files larger than this go by the multipart calls below, not by createAsset. */
    directUploadMaxBytes: options.directUploadMaxBytes ?? 200 * 1024 * 1024,
    /** Opens the platform's multipart upload session (its asset is reserved, stamped like createAsset's). */
    createMultipartUpload(input: {
      reelayId: string;
      filename: string;
      type: "video" | "audio" | "image";
      totalSize: number;
      enableHls: boolean;
      enableThumbnail: boolean;
      userMetadata?: Record<string, unknown> | undefined;
    }) {
      const json = {
        filename: input.filename,
        type: input.type,
        total_size: input.totalSize,
        enable_hls: input.enableHls,
        enable_thumbnail: input.enableThumbnail,
        user_metadata: { ...input.userMetadata, [REELAY_ID_KEY]: input.reelayId },
      };
      return call("create multipart upload", { method: "POST", path: "/assets/multipart-uploads", json }, UpstreamUploadSession);
    },
    /** Fresh presigned URLs for chunks `start` to `start + count - 1` (count at most 50). */
    requestChunkUrls: (uploadId: string, start: number, count: number) =>
      call("request chunk urls", { method: "POST", path: `/assets/multipart-uploads/${encodeURIComponent(uploadId)}/presigned-urls`, json: { start, count } }, UpstreamChunkUrls),
    /** Reports uploaded chunks with their ETags; duplicates are ignored by the platform. */
    reportChunks: (uploadId: string, chunks: Array<{ chunkIndex: number; etag: string; size: number }>) =>
      call(
        "report chunks",
        {
          method: "POST",
          path: `/assets/multipart-uploads/${encodeURIComponent(uploadId)}`,
          json: { completed_chunks: chunks.map((c) => ({ chunk_index: c.chunkIndex, proof: c.etag, proof_type: "etag", chunk_size: c.size })) },
        },
        UpstreamChunkReport,
      ),
    /** One page of the session's chunks (every chunk is listed, in index order). */
    getUploadStatus: (uploadId: string, page: number, pageLimit: number) =>
      call("retrieve upload status", { method: "GET", path: `/assets/multipart-uploads/${encodeURIComponent(uploadId)}`, query: { page, page_limit: pageLimit } }, UpstreamUploadStatus),
    /**
     * PUTs bytes `[start, end)` of a file to a presigned chunk URL and returns the ETag (unquoted).
     * The range is a slice of a file-backed Blob: streamed from disk as the request goes out, with
     * its Content-Length, never buffered whole. The URL is storage, not the API: no API key, no
     * rate-limit budget. A 403 (the URL expired or was used) is `transient`: a fresh URL helps.
     */
    async putChunk(url: string, filePath: string, range: { start: number; end: number }, headers: Record<string, string> = {}): Promise<string> {
      const operation = "upload chunk";
      const started = performance.now();
      const finish = (outcome: "ok" | FaultKind, status?: number) => options.report?.({ operation, outcome, ms: Math.round(performance.now() - started), status });
      const body = (await openAsBlob(filePath)).slice(range.start, range.end);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: "PUT",
          headers: { "content-type": "application/octet-stream", ...headers },
          body,
          signal: AbortSignal.timeout(options.uploadTimeoutMs ?? 900_000),
          redirect: "error",
        });
      } catch (error) {
        const failure = fromTransport(operation, error);
        finish(failure.kind);
        throw failure;
      }
      const text = await response.text().catch(() => "");
      if (!response.ok) {
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // storage answers XML or nothing: the status decides
        }
        const failure = fromResponse(operation, response.status, parsed, response.headers.get("retry-after"));
        const refused = response.status === 403 ? new PlatformError(failure.message, { status: 403, code: "chunk_url_rejected", kind: "transient", operation }) : failure;
        finish(refused.kind, response.status);
        throw refused;
      }
      const etag = response.headers.get("etag")?.replace(/"/g, "");
      if (!etag) {
        finish("transient", response.status);
        throw new PlatformError(`${operation}: the storage answer carried no ETag`, { status: response.status, code: "unreadable_answer", kind: "transient", operation });
      }
      finish("ok", response.status);
      return etag;
    },
    deleteItem: (knowledgeStoreId: string, itemId: string) =>
      call("delete knowledge store item", { method: "DELETE", path: `/knowledge-stores/${encodeURIComponent(knowledgeStoreId)}/items/${encodeURIComponent(itemId)}` }, UpstreamItem),

    /** Name, description and metadata (replaced in full; Reelay's stamp kept, recovery finds the store by it). */
    updateKnowledgeStore(storeId: string, input: { reelayId: string; name: string; description?: string | undefined; metadata?: Record<string, string> | undefined }) {
      const json = { name: input.name, ...(input.description !== undefined ? { description: input.description } : {}), metadata: { ...input.metadata, [REELAY_ID_KEY]: input.reelayId } };
      return call("update knowledge store", { method: "PATCH", path: `/knowledge-stores/${encodeURIComponent(storeId)}`, json }, UpstreamKnowledgeStore);
    },
    /** Natural-language search; the body is sent in wire form as built (item ids already the platform's). */
    searchKnowledgeStore: (storeId: string, body: Record<string, unknown>) =>
      call("search knowledge store", { method: "POST", path: `/knowledge-stores/${encodeURIComponent(storeId)}/search`, json: body }, UpstreamSearch),

    createCollection(storeId: string, input: { reelayId: string; name: string; description?: string | undefined; metadata?: Record<string, string> | undefined }) {
      const json = { name: input.name, ...(input.description !== undefined ? { description: input.description } : {}), metadata: { ...input.metadata, [REELAY_ID_KEY]: input.reelayId } };
      return call("create item collection", { method: "POST", path: `${collectionsPath(storeId)}`, json }, UpstreamCollection);
    },
    findCollection(storeId: string, reelayId: string, sentAt: Date): Promise<UpstreamCollection | undefined> {
      const list = upstreamPage(UpstreamCollection);
      const query = { page_limit: PAGE, sort_by: "created_at", sort_option: "desc" };
      return scan<UpstreamCollection>(async (page) => (await call("find item collection", { method: "GET", path: collectionsPath(storeId), query: { ...query, page } }, list)).data, stamped(reelayId), sentAt);
    },
    getCollection: (storeId: string, collectionId: string) =>
      call("retrieve item collection", { method: "GET", path: `${collectionsPath(storeId)}/${encodeURIComponent(collectionId)}` }, UpstreamCollection),
    updateCollection(storeId: string, collectionId: string, input: { reelayId: string; name: string; description?: string | undefined; metadata?: Record<string, string> | undefined }) {
      const json = { name: input.name, ...(input.description !== undefined ? { description: input.description } : {}), metadata: { ...input.metadata, [REELAY_ID_KEY]: input.reelayId } };
      return call("update item collection", { method: "PATCH", path: `${collectionsPath(storeId)}/${encodeURIComponent(collectionId)}`, json }, UpstreamCollection);
    },
    deleteCollection: (storeId: string, collectionId: string) =>
      call("delete item collection", { method: "DELETE", path: `${collectionsPath(storeId)}/${encodeURIComponent(collectionId)}` }, NoContent),
    /** Every member's platform item id, page by page. */
    async listCollectionItemIds(storeId: string, collectionId: string): Promise<string[]> {
      const list = upstreamPage(UpstreamItem);
      const ids: string[] = [];
      for (let page = 1; ; page++) {
        const rows = (await call("list item collection items", { method: "GET", path: `${collectionsPath(storeId)}/${encodeURIComponent(collectionId)}/items`, query: { page, page_limit: PAGE } }, list)).data;
        ids.push(...rows.map((row) => row._id));
        if (rows.length < PAGE) return ids;
      }
    },
    /** Idempotent on the platform; at most 500 ids a call. */
    addCollectionItems: (storeId: string, collectionId: string, itemIds: string[]) =>
      call("add item collection items", { method: "POST", path: `${collectionsPath(storeId)}/${encodeURIComponent(collectionId)}/items/add`, json: { item_ids: itemIds } }, NoContent),
    /** Non-members are ignored by the platform; at most 500 ids a call (answers 204). */
    removeCollectionItems: (storeId: string, collectionId: string, itemIds: string[]) =>
      call("remove item collection items", { method: "POST", path: `${collectionsPath(storeId)}/${encodeURIComponent(collectionId)}/items/remove`, json: { item_ids: itemIds } }, NoContent),

    /** Asks the platform; the request is sent in wire form exactly as built, the answer kept whole. */
    createResponse: (body: Record<string, unknown>) => call("create response", { method: "POST", path: "/responses", json: { ...body, stream: false } }, UpstreamResponse),
    streamResponse,
  };

  /**
   * Asks the platform with `stream: true` and yields its typed events as they arrive, parsed
   * incrementally; ends after the terminal event (`response.completed` / `response.failed`).
   * Failures are PlatformErrors: before the stream starts, classified by status like any call; once
   * it has started, `transient`: the connection broke, no byte came for `timeoutMs` (time spent by
   * the consumer between events does not count), the whole stream outlasted `streamTimeoutMs`, an
   * event could not be read, or the stream ended without a terminal event.
   */
  async function* streamResponse(body: Record<string, unknown>): AsyncGenerator<ResponseStreamEvent, void, undefined> {
    const operation = "create response stream";
    await limiter.acquire(operation);
    const started = performance.now();
    const finish = (outcome: "ok" | FaultKind, status?: number) => options.report?.({ operation, outcome, ms: Math.round(performance.now() - started), status });
    const fail = (failure: PlatformError, status?: number): PlatformError => {
      finish(failure.kind, status);
      return failure;
    };
    const streamTimeoutMs = options.streamTimeoutMs ?? 600_000;
    const whole = AbortSignal.timeout(streamTimeoutMs);
    const silence = new AbortController();
    let silenceTimer: NodeJS.Timeout | undefined;
    const quiet = (ms: number) => {
      clearTimeout(silenceTimer);
      silenceTimer = setTimeout(() => silence.abort(), ms);
    };
    const whyAborted = (): PlatformError | undefined =>
      whole.aborted
        ? new PlatformError(`${operation}: the answer's stream did not end within ${Math.round(streamTimeoutMs / 1000)} s`, { code: "timeout", kind: "transient", operation })
        : silence.signal.aborted
          ? new PlatformError(`${operation}: the platform's stream went silent for ${Math.round(timeoutMs / 1000)} s`, { code: "timeout", kind: "transient", operation })
          : undefined;

    let response: Response;
    quiet(timeoutMs);
    try {
      response = await doFetch(`${base}/responses`, {
        method: "POST",
        headers: { "x-api-key": options.apiKey, accept: "text/event-stream", "content-type": "application/json" },
        body: JSON.stringify({ ...body, stream: true }),
        signal: AbortSignal.any([whole, silence.signal]),
        redirect: "error",
      });
    } catch (error) {
      clearTimeout(silenceTimer);
      throw fail(whyAborted() ?? fromTransport(operation, error));
    }
    if (!response.ok) {
      clearTimeout(silenceTimer);
      const text = await response.text().catch(() => "");
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: the status decides
      }
      const failure = fail(fromResponse(operation, response.status, parsed, response.headers.get("retry-after")), response.status);
      if (failure.kind === "rate_limited") await limiter.pause(Math.max(failure.retryAfterMs ?? 1_000, 1_000));
      throw failure;
    }
    const unreadable = (why: string) => new PlatformError(`${operation}: ${why}`, { status: response.status, code: "unreadable_answer", kind: "transient", operation });
    if (!response.body || !/^text\/event-stream\b/i.test(response.headers.get("content-type") ?? "")) {
      clearTimeout(silenceTimer);
      await response.body?.cancel().catch(() => undefined);
      throw fail(unreadable("the platform did not answer with an event stream"), response.status);
    }

    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = createSseParser();
    try {
      for (;;) {
        quiet(timeoutMs);
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw whyAborted() ?? fromTransport(operation, error);
        } finally {
          clearTimeout(silenceTimer);
        }
        if (chunk.done) throw unreadable("the stream ended before the answer did");
        for (const message of parser.push(decoder.decode(chunk.value, { stream: true }))) {
          if (message.data.trim() === "[DONE]") throw unreadable("the stream ended before the answer did");
          let event: ResponseStreamEvent;
          try {
            event = ResponseStreamEvent.parse(JSON.parse(message.data));
          } catch {
            throw unreadable("an event of the stream could not be read");
          }
          if (isTerminalStreamEvent(event)) {
            finish("ok", response.status);
            yield event;
            return;
          }
          yield event;
        }
      }
    } catch (error) {
      throw fail(error instanceof PlatformError ? error : fromTransport(operation, error), response.status);
    } finally {
      clearTimeout(silenceTimer);
      // Stops the download (what follows the terminal event is only `[DONE]`) and frees the connection.
      await reader.cancel().catch(() => undefined);
    }
  }
}

export type PlatformClient = ReturnType<typeof createPlatformClient>;

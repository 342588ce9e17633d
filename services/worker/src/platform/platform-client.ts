import { openAsBlob } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { fromResponse, fromTransport, PlatformError, type FaultKind } from "./platform-error.ts";
import { unlimited, type PlatformLimiter } from "./platform-limiter.ts";
import { UpstreamAsset, UpstreamItem, UpstreamKnowledgeStore, upstreamPage, UpstreamResponse } from "./upstream-schemas.ts";

export interface PlatformClientOptions {
  /** The platform, including the version path, e.g. https://api.twelvelabs.io/v1.3. */
  baseUrl: string;
  apiKey: string;
  /** Time-out of one call, ms. Default 60000. */
  timeoutMs?: number;
  /** Time-out of a direct upload (the file travels in the call), ms. Default 900000. */
  uploadTimeoutMs?: number;
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

type Query = Record<string, string | number | boolean | undefined>;

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
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
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
    deleteAsset: (assetId: string) => call("delete asset", { method: "DELETE", path: `/assets/${encodeURIComponent(assetId)}` }, UpstreamAsset),

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
    getItem: (knowledgeStoreId: string, itemId: string) =>
      call("retrieve knowledge store item", { method: "GET", path: `/knowledge-stores/${encodeURIComponent(knowledgeStoreId)}/items/${encodeURIComponent(itemId)}` }, UpstreamItem),
    deleteItem: (knowledgeStoreId: string, itemId: string) =>
      call("delete knowledge store item", { method: "DELETE", path: `/knowledge-stores/${encodeURIComponent(knowledgeStoreId)}/items/${encodeURIComponent(itemId)}` }, UpstreamItem),

    /** Asks the platform; the request is sent in wire form exactly as built, the answer kept whole. */
    createResponse: (body: Record<string, unknown>) => call("create response", { method: "POST", path: "/responses", json: { ...body, stream: false } }, UpstreamResponse),
  };
}

export type PlatformClient = ReturnType<typeof createPlatformClient>;

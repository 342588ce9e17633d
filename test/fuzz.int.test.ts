import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "@reelay/api";
import { API_VERSION, routeTable, toExpressPath } from "@reelay/contract";
import {
  fromJson,
  hostileAssetForm,
  hostileHeaderValue,
  hostilePathSegment,
  hostileQuery,
  jsonishContentType,
  jsonMutations,
  mutate,
  percentEncode,
  raw,
  serialize,
  type JsonTree,
} from "./support/hostile-input.ts";
import { createIdleAppDeps } from "./support/app-deps.ts";
import { servedOperations } from "./support/route-coverage.ts";
import { readJson, startTestStack, type TestStack } from "./support/stack.ts";

/**
 * Every operation the facade serves, driven with generated hostile input: the answer is never a
 * 5xx, never a hang, and every 4xx carries the platform's `code` and `message`.
 *
 * FUZZ_RUNS sets the runs per operation (default 200: about 40 s for 40 operations on the 2-core
 * machine); FUZZ_SEED replays a run (the seed is printed at the start, and in any failure with
 * fast-check's counterexample path).
 */
const runsPerOperation = Number(process.env.FUZZ_RUNS ?? 200);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** A request answering later than this counts as a hang. */
const REQUEST_DEADLINE_MS = 15_000;
/**
 * Longest URL sent. Node answers a request line or headers over 16 KiB itself (a bare 431) before
 * any of the app runs, so longer ones test Node, not Reelay.
 */
const MAX_URL_CHARS = 8_000;

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** How one operation is fuzzed. Derived for every operation the app serves; `tuning` enriches the ones it knows. */
interface RouteFuzz {
  /** Query keys the route reads (hostile ones are added too). */
  query: readonly string[];
  /** A valid JSON body to mutate (its field names also serve as keys for hostile insertions); `{}` when none is known. */
  body?: () => unknown;
  /** The route takes a multipart form. */
  multipart?: boolean;
  /** Ids for a path parameter in place of the shared ones. */
  params?: Record<string, () => string[]>;
  /**
   * Top-level fields appended to every mutated JSON body; JSON.parse keeps the last of duplicate
   * keys, so these win over whatever the mutations did.
   */
  pinned?: Record<string, string>;
}

let stack: TestStack;
let key: string;
let otherKey: string;
/** Real ids by path parameter name, so that mutated requests get past the lookups into deeper code. */
const known: Record<string, string[]> = {};
/** Ids no resource has, for parameters without real ones and for destructive operations. */
const bogusIds: Record<string, string> = { asset_id: "0123456789abcdef01234567", knowledge_store_id: "ks_00000000-0000-0000-0000-000000000000" };

/** What the fuzzer knows about some operations (route-table ids), beyond what the table says. */
const tuning: Record<string, Partial<RouteFuzz>> = {
  "knowledge_stores.create": {
    body: () => ({ name: "fuzz", description: "d", metadata: { k: "v" }, ingestion_config: { enrichment_config: { type: "json_schema", json_schema: { type: "object", properties: { who: { type: "string", description: "who" } } } } } }),
  },
  "items.create": { body: () => ({ asset_id: known.asset_id![0], asset_type: "video", metadata: { k: "v" } }) },
  "responses.create": {
    // A body that happens to be valid is answered at once (202), instead of a 504 after waiting for the worker this stack does not run.
    pinned: { background: "true" },
    body: () => ({
      knowledge_store_id: known.knowledge_store_id![0],
      input: [{ type: "message", role: "user", content: "What happens?" }],
      instructions: "briefly",
      include: ["intermediate_outputs"],
      selections: [{ kind: "item", id: known.item_id![0] }],
      text: { format: { type: "json_schema", name: "x", schema: { type: "object", properties: { a: { type: "string" } } } } },
      metadata: { k: "v" },
    }),
  },
  // The handler reads `after` itself (EventSource resumes with the header, curl with the query).
  "jobs.events": { query: ["after"] },
  "webhooks.create": { body: () => ({ url: "http://127.0.0.1:9/fuzz", events: ["asset.ready"], description: "fuzz" }) },
  "webhooks.update": { body: () => ({ url: "http://127.0.0.1:9/fuzz2", events: ["asset.failed"], description: null, enabled: true }) },
  "webhooks.delete": { params: { webhook_id: () => known.disposable_webhook_id! } },
  "webhooks.recover": { body: () => ({ since: "2024-01-01T00:00:00Z" }) },
  "assets.user_metadata.replace": { body: () => ({ user_metadata: { k: "v", n: 1, b: true } }) },
  "assets.user_metadata.update": { body: () => ({ user_metadata: { k: "v", gone: null } }) },
  "knowledge_stores.update": { body: () => ({ name: "fuzzed", description: "d", metadata: { k: "v" } }) },
  "knowledge_stores.search": {
    // Only stores a search cannot wait on: a valid search of the seed store would wait out its time for the worker this stack does not run.
    params: { knowledge_store_id: () => known.unsearchable_knowledge_store_id! },
    body: () => ({ query: { text: "x" }, filter: { item_id: { in: [known.item_id![0]] } }, search_options: { video: { modalities: ["visual"] } }, group_by: "item", page_size: 5, page_token: "t", include_metadata: true }),
  },
  "collections.create": { body: () => ({ name: "fuzz", description: "d", metadata: { k: "v" } }) },
  "collections.update": { body: () => ({ name: "fuzzed", description: "d", metadata: { k: "v" } }) },
  "collections.items.add": { body: () => ({ item_ids: [known.item_id![0]] }) },
  "collections.items.remove": { body: () => ({ item_ids: [known.item_id![0]] }) },
};

interface FuzzedOperation {
  /** `METHOD /path` as Express routes it, e.g. `GET /v1.3/assets/:asset_id`. */
  name: string;
  method: Method;
  path: string;
  spec: RouteFuzz;
}

/** A path with its parameters unnamed, as Express matches it: `/v1.3/assets/:`. */
const shape = (path: string) => path.replace(/:[A-Za-z0-9_$]+/g, ":");

/**
 * Every operation the app serves, read from its Express routers, with what the route table says
 * of it (query keys, body, multipart) and the tuning above. A route added to the app is fuzzed
 * without touching this file.
 */
async function operationsToFuzz(): Promise<FuzzedOperation[]> {
  const idle = await createIdleAppDeps();
  try {
    // Only the routing table is read: the app serves no request.
    const app = createApp(idle.deps);
    const table = new Map(routeTable.map((route) => [`${route.method.toUpperCase()} ${shape(`/${API_VERSION}${toExpressPath(route.path)}`)}`, route]));
    const operations = servedOperations(app).filter((op): op is { method: Method; path: string } => ["GET", "POST", "PUT", "PATCH", "DELETE"].includes(op.method));
    return operations.map(({ method, path: routePath }) => {
      const route = table.get(`${method} ${shape(routePath)}`);
      const tuned = route ? tuning[route.id] : undefined;
      const queryShape = (route?.query as { shape?: Record<string, unknown> } | undefined)?.shape;
      const spec: RouteFuzz = {
        query: tuned?.query ?? Object.keys(queryShape ?? {}),
        multipart: route?.bodyType === "multipart",
        ...(route?.body && route.bodyType !== "multipart" ? { body: tuned?.body ?? (() => ({})) } : {}),
        ...(tuned?.params ? { params: tuned.params } : {}),
        ...(tuned?.pinned ? { pinned: tuned.pinned } : {}),
      };
      return { name: `${method} ${routePath}`, method, path: routePath, spec };
    });
  } finally {
    await idle.close();
  }
}

const operations = await operationsToFuzz();

beforeAll(async () => {
  console.log(`fuzz: seed ${seed}, ${runsPerOperation} runs per operation (FUZZ_SEED=${seed} FUZZ_RUNS=${runsPerOperation} replays)`);
  // No worker: nothing generated here should cost more than a row; small limits, to reach the 413s cheaply.
  stack = await startTestStack({ startWorker: false, env: { JSON_BODY_LIMIT: "256kb", MAX_UPLOAD_BYTES: "4000" } });
  ({ apiKey: key } = await stack.newTenant());
  ({ apiKey: otherKey } = await stack.newTenant());
  const call = async (apiKey: string, method: Method, route: string, body?: unknown) => {
    const res = await fetch(`${stack.base}${route}`, { method, headers: { "x-api-key": apiKey, "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect(res.status, `${method} ${route}`).toBeLessThan(300);
    return readJson(res);
  };
  const form = new FormData();
  form.set("method", "url");
  form.set("url", "http://127.0.0.1:1/seed.mp4");
  const asset = await readJson(fetch(`${stack.base}/assets`, { method: "POST", headers: { "x-api-key": key }, body: form }));
  const store = await call(key, "POST", "/knowledge-stores", { name: "seed" });
  const othersStore = await call(otherKey, "POST", "/knowledge-stores", { name: "someone else's" });
  const item = await call(key, "POST", `/knowledge-stores/${store._id}/items`, { asset_id: asset._id });
  const collection = await call(key, "POST", `/knowledge-stores/${store._id}/item-collections`, { name: "seed" });
  const response = await call(key, "POST", "/responses", { knowledge_store_id: store._id, input: [{ type: "message", role: "user", content: "hi" }], background: true });
  const webhook = await call(key, "POST", "/webhooks", { url: "http://127.0.0.1:9/seed" });
  const disposable = await call(key, "POST", "/webhooks", { url: "http://127.0.0.1:9/to-delete" });
  // Only a finished job: `?wait` and the event stream of an unfinished one would (rightly) hold the request open.
  const cancelled = await call(key, "POST", "/knowledge-stores", { name: "cancelled" });
  await call(key, "POST", `/jobs/${cancelled.job_id}/cancel`);
  Object.assign(known, {
    asset_id: [asset._id, bogusIds.asset_id],
    knowledge_store_id: [store._id, othersStore._id, bogusIds.knowledge_store_id],
    item_id: [item._id, "ksi_missing"],
    collection_id: [collection._id, "ksic_missing"],
    unsearchable_knowledge_store_id: [othersStore._id, bogusIds.knowledge_store_id],
    response_id: [response.id, "resp_missing"],
    job_id: [cancelled.job_id, "job_missing"],
    webhook_id: [webhook._id, "wh_missing"],
    disposable_webhook_id: [disposable._id, "wh_missing"],
  });
});
afterAll(async () => {
  const lines = [...seen].map(([route, outcomes]) => `  ${route}: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${outcome} ×${n}`).join(", ")}`);
  if (lines.length > 0) console.log(`fuzz: answers by route\n${lines.join("\n")}`);
  await stack?.close();
});

interface FuzzRequest {
  url: string;
  init: RequestInit & { method: string; headers: Record<string, string> };
  /** What the request carried, for the failure message. */
  description: string;
  /** What fast-check prints for a counterexample: the request in brief, not megabytes of it. */
  [fc.toStringMethod]: () => string;
}

function requestArbitrary({ method, path: template, spec }: FuzzedOperation): fc.Arbitrary<FuzzRequest> {
  const paramNames = [...template.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  const segment = (name: string) => {
    // A destructive operation never gets the shared seed ids: the other operations' runs need them.
    const ids = spec.params?.[name]?.() ?? (method === "DELETE" ? undefined : known[name]) ?? [bogusIds[name] ?? `${name}_missing`];
    return fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...ids).map(percentEncode) }, { weight: 3, arbitrary: hostilePathSegment });
  };
  const auth = fc.oneof({ weight: 12, arbitrary: fc.constant("tenant") }, { weight: 1, arbitrary: fc.constantFrom("none", "bogus", "other tenant") });
  const body: fc.Arbitrary<{ body?: Buffer | string; contentType?: string; description: string }> = spec.multipart
    ? hostileAssetForm
    : spec.body
      ? fc.record({ mutations: fc.option(jsonMutations(Object.keys(spec.body() as object)), { freq: 8, nil: undefined }), contentType: jsonishContentType }).map(({ mutations, contentType }) => {
          const tree = mutations ? mutate(fromJson(spec.body!()), mutations) : fromJson(spec.body!());
          const pinned = Object.entries(spec.pinned ?? {}).map(([name, token]): [string, JsonTree] => [name, raw(token)]);
          const text = serialize(tree.kind === "object" && pinned.length > 0 ? { kind: "object", entries: [...tree.entries, ...pinned] } : tree);
          return { body: text, contentType, description: text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text };
        })
      : // Routes without a body still get sent one now and then: it must be ignored or refused, not crash.
        fc.option(fc.record({ body: fc.constantFrom("{", "null", '{"a":1}', "\u0000", "[".repeat(5_000)), contentType: jsonishContentType, description: fc.constant("stray body") }), { freq: 5, nil: undefined }).map((stray) => stray ?? { description: "" });
  return fc
    .record({
      segments: fc.tuple(...paramNames.map(segment)),
      query: fc.option(hostileQuery(spec.query), { freq: 2, nil: undefined }),
      auth,
      body,
      contentEncoding: fc.option(fc.constantFrom("gzip", "deflate", "br", "identity", "x-bogus"), { freq: 12, nil: undefined }),
      // Headers the app reads besides the key: the request id it echoes, the SSE resume point.
      extraHeaders: fc.option(fc.record({ "x-request-id": hostileHeaderValue, "last-event-id": hostileHeaderValue, accept: hostileHeaderValue }, { requiredKeys: [] }), { freq: 4, nil: undefined }),
    })
    .map(({ segments, query, auth: who, body: payload, contentEncoding, extraHeaders }) => {
      let filled = template;
      paramNames.forEach((name, i) => (filled = filled.replace(`:${name}`, segments[i]!)));
      const base = stack.apiUrl; // served paths carry their /v1.3 prefix
      const headers: Record<string, string> = { ...extraHeaders };
      if (who === "tenant") headers["x-api-key"] = key;
      if (who === "other tenant") headers["x-api-key"] = otherKey;
      if (who === "bogus") headers["x-api-key"] = "rly_bogus";
      if (payload.contentType) headers["content-type"] = payload.contentType;
      const sendsBody = payload.body !== undefined && method !== "GET";
      if (contentEncoding && sendsBody) headers["content-encoding"] = contentEncoding;
      const url = `${base}${filled}${query ? `?${query}` : ""}`.slice(0, MAX_URL_CHARS);
      const description = `${method} ${url.length > 500 ? `${url.slice(0, 500)}… (${url.length} chars)` : url} as ${who}${headers["content-encoding"] ? ` (content-encoding ${contentEncoding})` : ""} ${JSON.stringify(headers["content-type"] ?? "")} ${sendsBody ? payload.description : ""}${extraHeaders ? ` headers ${JSON.stringify(extraHeaders).slice(0, 300)}` : ""}`;
      return {
        url,
        init: { method, headers, ...(sendsBody ? { body: payload.body } : {}) },
        description,
        [fc.toStringMethod]: () => description,
      };
    });
}

/** Answers seen per route and status, printed at the end: a fuzzer that only ever gets 400s is not reaching the code. */
const seen = new Map<string, Map<string, number>>();

function record(route: string, status: number, code: unknown): void {
  const byOutcome = seen.get(route) ?? new Map<string, number>();
  const outcome = typeof code === "string" ? `${status} ${code}` : String(status);
  byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  seen.set(route, byOutcome);
}

async function send(route: string, request: FuzzRequest): Promise<void> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(request.url, { ...request.init, signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) });
    text = await res.text();
  } catch (error) {
    throw new Error(`no answer (${String(error)}) to ${request.description}`);
  }
  const fail = (why: string) => new Error(`${why}: ${res.status} ${text.slice(0, 300)}\n  request: ${request.description}`);
  if (res.status >= 500) throw fail("server error");
  if (res.status >= 400) {
    let body: { code?: unknown; message?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw fail("a 4xx without a JSON body");
    }
    if (typeof body.code !== "string" || typeof body.message !== "string") throw fail("a 4xx without code and message");
    record(route, res.status, body.code);
  } else {
    record(route, res.status, undefined);
  }
}

describe("fuzzing every facade route with hostile input", () => {
  it("reads the operations from the app itself: the route table's it serves, and the health checks", () => {
    const fuzzed = new Set(operations.map((op) => `${op.method} ${shape(op.path)}`));
    const fromTable = routeTable.map((route) => `${route.method.toUpperCase()} ${shape(`/${API_VERSION}${toExpressPath(route.path)}`)}`).filter((name) => fuzzed.has(name));
    // Guards the introspection itself: the facade served 27 operations when this suite was written.
    expect(fromTable.length).toBeGreaterThanOrEqual(27);
    expect([...fuzzed]).toEqual(expect.arrayContaining(["GET /healthz", "GET /readyz"]));
  });

  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  for (const operation of operations) {
    it(
      `${operation.name} > answers every hostile request with a 2xx or a 4xx carrying code and message, never a 5xx or a hang`,
      async () => {
        await fc.assert(
          fc.asyncProperty(requestArbitrary(operation), (request) => send(operation.name, request)),
          { numRuns: runsPerOperation, seed },
        );
      },
      60_000 + runsPerOperation * 1_000,
    );
  }

  it(
    "unknown paths and methods > answer 404 (or an OPTIONS answer) with code and message, never a 5xx",
    async () => {
      const unknownRoute = fc
        .record({
          method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
          segments: fc.array(fc.oneof(fc.constantFrom("assets", "knowledge-stores", "items", "jobs", "webhooks", "responses", "events", "v1.3", "..", ""), hostilePathSegment), { maxLength: 5 }),
          prefix: fc.constantFrom(stack.base, stack.apiUrl),
        })
        .map(({ method, segments, prefix }): FuzzRequest => {
          const url = `${prefix}/${segments.join("/")}`.slice(0, MAX_URL_CHARS);
          const description = `${method} ${url.slice(0, 500)}`;
          return { url, init: { method, headers: { "x-api-key": key } }, description, [fc.toStringMethod]: () => description };
        });
      await fc.assert(
        fc.asyncProperty(unknownRoute, (request) => send("unknown routes", request)),
        { numRuns: runsPerOperation, seed },
      );
    },
    60_000 + runsPerOperation * 1_000,
  );

  it("leaves the process unpolluted and the API healthy", async () => {
    // The API runs in this process: a request that polluted Object.prototype would show here.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect((await fetch(`${stack.apiUrl}/readyz`)).status).toBe(200);
    const res = await fetch(`${stack.base}/knowledge-stores`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body: JSON.stringify({ name: "still fine" }) });
    expect(res.status).toBe(201);
  });
});

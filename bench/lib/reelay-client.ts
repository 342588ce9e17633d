import { openAsBlob } from "node:fs";
import path from "node:path";
import type { BenchStack } from "./bench-stack.ts";

/** The slice of Reelay's wire objects the benchmarks read. */
export interface Created {
  _id: string;
  status?: string;
  jobId: string | undefined;
}

const terminal = new Set(["succeeded", "failed", "cancelled"]);

/**
 * A client of one bench stack's API, with the bench tenant's key: just enough of the platform's
 * calls to build the state a benchmark measures (an asset, a store, indexed items).
 */
export function reelayClient(stack: Pick<BenchStack, "base" | "apiKey">) {
  const headers = { "x-api-key": stack.apiKey };

  async function send(method: string, route: string, body?: unknown, expect = [200, 201, 202]): Promise<Created & Record<string, unknown>> {
    const response = await fetch(`${stack.base}${route}`, {
      method,
      headers: body instanceof FormData ? headers : { ...headers, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!expect.includes(response.status)) throw new Error(`${method} ${route}: ${response.status} ${text.slice(0, 500)}`);
    return { ...(JSON.parse(text) as { _id: string }), jobId: response.headers.get("x-job-id") ?? undefined };
  }

  return {
    headers,
    /** `POST /assets` with method=direct: the file uploaded through the API (the worker sends it on). */
    async uploadAsset(filePath: string): Promise<Created> {
      const form = new FormData();
      form.set("method", "direct");
      form.set("file", await openAsBlob(filePath), path.basename(filePath));
      return send("POST", "/assets", form);
    },
    createStore: (name: string) => send("POST", "/knowledge-stores", { name }),
    addItem: (storeId: string, assetId: string, assetType: "video" | "image" = "video") =>
      send("POST", `/knowledge-stores/${storeId}/items`, { asset_id: assetId, asset_type: assetType }),
    /** Long-polls `GET /jobs/{id}?wait=` until the job ends; throws unless it succeeded. */
    async waitForJob(jobId: string, timeoutMs = 120_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = (await send("GET", `/jobs/${jobId}?wait=10`)) as unknown as { status: string; last_error?: unknown };
        if (terminal.has(job.status)) {
          if (job.status !== "succeeded") throw new Error(`job ${jobId} ended ${job.status}: ${JSON.stringify(job.last_error)}`);
          return;
        }
        if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
      }
    },
  };
}

/** Runs `task` over `items` with at most `concurrency` at once; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!, index);
      }
    }),
  );
  return results;
}

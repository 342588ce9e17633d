import http from "node:http";
import https from "node:https";
import { assertLiteralAllowed, guardedLookup, type PrivateTargets } from "@reelay/net";

export interface PostResult {
  /** The receiver's status; absent when no answer came. */
  statusCode?: number;
  latencyMs: number;
  /** The first KiB of the answer. */
  response?: string;
  /** From a Retry-After header on 429/503. */
  retryAfterMs?: number;
  /** Why there was no usable answer (time-out, refused, blocked address), for the attempt log. */
  error?: string;
}

export type PostWebhook = (url: string, headers: Record<string, string>, body: string) => Promise<PostResult>;

const SNIPPET_BYTES = 1024;
/** Read at most this much of an answer before hanging up: a receiver cannot make us buffer more. */
const MAX_READ_BYTES = 64 * 1024;

function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describe(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ETARGETREFUSED":
      return "the receiver's address is private, loopback or link-local, which this gateway does not deliver to";
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the receiver's host name could not be resolved";
    case "ECONNRESET":
      return "the connection was reset";
    default:
      return error.code ? `connection failed (${error.code})` : "connection failed";
  }
}

/**
 * POSTs webhook bodies. Every connection goes through a lookup that refuses addresses outside the
 * policy (checked at connect time, on the address actually used); redirects are not followed (a
 * 3xx is a failed attempt); the whole exchange is bounded by `timeoutMs`. Keep-alive agents keep
 * busy receivers cheap.
 */
export function createWebhookPoster(options: { privateTargets: PrivateTargets; timeoutMs?: number; userAgent?: string }): { post: PostWebhook; close: () => void } {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const lookup = guardedLookup(options.privateTargets);
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets: 64, lookup }),
    "https:": new https.Agent({ keepAlive: true, maxSockets: 64, lookup }),
  };

  const post: PostWebhook = (url, headers, body) =>
    new Promise((resolve) => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const target = new URL(url);
      const agent = agents[target.protocol as keyof typeof agents];
      const finish = (result: Omit<PostResult, "latencyMs">) => {
        clearTimeout(timer);
        resolve({ ...result, latencyMs: Math.round(performance.now() - started) });
      };
      if (!agent) return finish({ error: `unsupported protocol ${target.protocol}` });
      try {
        // Node connects to an IP literal without a lookup: check it here.
        assertLiteralAllowed(target, options.privateTargets);
      } catch (error) {
        return finish({ error: describe(error as NodeJS.ErrnoException) });
      }
      const request = (target.protocol === "https:" ? https : http).request(target, {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": options.userAgent ?? "Reelay-Webhooks/1", ...headers },
      });
      timer = setTimeout(() => {
        request.destroy();
        finish({ error: `no answer within ${Math.round(timeoutMs / 1000)} s` });
      }, timeoutMs);
      request.on("error", (error: NodeJS.ErrnoException) => finish({ error: describe(error) }));
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        let read = 0;
        response.on("data", (chunk: Buffer) => {
          if (read < SNIPPET_BYTES) chunks.push(chunk);
          read += chunk.length;
          if (read > MAX_READ_BYTES) response.destroy();
        });
        const done = () =>
          finish({
            statusCode: response.statusCode ?? 0,
            response: Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString("utf8"),
            ...(response.statusCode === 429 || response.statusCode === 503 ? { retryAfterMs: retryAfterMs(response.headers["retry-after"]) } : {}),
          });
        response.on("end", done);
        response.on("close", done);
        response.on("error", done);
      });
      request.end(body);
    });

  return {
    post,
    close: () => {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}

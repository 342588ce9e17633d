import { createWriteStream } from "node:fs";
import { request as httpRequest } from "node:http";
import type { IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertLiteralAllowed, guardedLookup, TargetRefused, type PrivateTargets } from "@reelay/net";

/** The URL could not be turned into a local file; `message` goes into the asset's `error.message`. */
export class DownloadFailed extends Error {
  override readonly name = "DownloadFailed";
}

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  signal: AbortSignal;
  /** Which non-public addresses may be fetched, checked on every hop after DNS resolution. */
  allowPrivate: PrivateTargets;
}

/** The most redirects followed, like browsers' and curl's sensible defaults (fetch's is 20). */
export const MAX_REDIRECTS = 5;

/**
 * One message for every failure below HTTP: a refused target, a refused connection, a DNS miss and
 * a time-out all read the same, so the asset's `error.message` cannot be used to map the network
 * around the emulator. The details go to stderr for whoever runs it.
 */
export const URL_NOT_FETCHED = "the URL could not be fetched";
const DOWNLOAD_INCOMPLETE = "the download from the URL did not complete";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches `url` into `target`, refusing non-2xx answers, oversize bodies, slow servers and any hop
 * whose resolved address the policy forbids. Redirects are followed by hand so each hop is checked,
 * and the address checked is the address connected to (a custom `lookup`), so a DNS answer that
 * changes between check and connect (rebinding) cannot slip through.
 */
export async function downloadUrl(url: string, target: string, options: DownloadOptions): Promise<{ bytes: number; contentType: string | undefined }> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  const response = await openFollowingRedirects(url, options.allowPrivate, signal, options.signal);

  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    response.resume();
    throw new DownloadFailed(`${URL_NOT_FETCHED}: the server answered HTTP ${status}`);
  }
  const declared = Number(response.headers["content-length"] ?? NaN);
  if (declared > options.maxBytes) {
    response.destroy();
    throw new DownloadFailed(`the file at the URL is ${declared} bytes, over the ${options.maxBytes}-byte limit`);
  }

  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > options.maxBytes) done(new DownloadFailed(`the file at the URL is over the ${options.maxBytes}-byte limit`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(response, limit, createWriteStream(target), { signal });
  } catch (error) {
    if (options.signal.aborted) throw error;
    if (error instanceof DownloadFailed) throw error;
    logFailure(url, error);
    throw new DownloadFailed(DOWNLOAD_INCOMPLETE);
  }
  return { bytes, contentType: response.headers["content-type"] };
}

/** `closing` is the emulator shutting down: that abort propagates as is, it is no asset failure. */
async function openFollowingRedirects(url: string, policy: PrivateTargets, signal: AbortSignal, closing: AbortSignal): Promise<IncomingMessage> {
  let current = url;
  for (let hop = 0; ; hop++) {
    let response: IncomingMessage;
    try {
      response = await open(current, policy, signal);
    } catch (error) {
      if (closing.aborted) throw error;
      logFailure(current, error);
      throw new DownloadFailed(URL_NOT_FETCHED);
    }
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || !location) return response;
    response.resume();
    if (hop >= MAX_REDIRECTS) throw new DownloadFailed(`${URL_NOT_FETCHED}: it redirects more than ${MAX_REDIRECTS} times`);
    try {
      current = new URL(location, current).toString();
    } catch {
      throw new DownloadFailed(`${URL_NOT_FETCHED}: it redirects to an invalid URL`);
    }
  }
}

/** One GET, without following redirects, to an address the policy allows. */
function open(url: string, policy: PrivateTargets, signal: AbortSignal): Promise<IncomingMessage> {
  const parsed = new URL(url);
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return Promise.reject(new TargetRefused(`${parsed.protocol} is not http or https`));
  }
  try {
    assertLiteralAllowed(parsed, policy);
  } catch (error) {
    return Promise.reject(error);
  }
  const request = parsed.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // No shared agent: a pooled keep-alive socket would skip `lookup`, and another emulator in the
    // same process may have opened it under a looser policy.
    const req = request(parsed, {
      agent: false,
      signal,
      lookup: guardedLookup(policy),
      headers: { accept: "*/*", "user-agent": "reelay-emulator" },
    });
    req.once("response", resolve);
    req.once("error", reject);
    req.end();
  });
}

/** Only the origin is logged: the path and query of a tenant's URL may carry signed credentials. */
function logFailure(url: string, error: unknown): void {
  let origin = "(invalid URL)";
  try {
    const parsed = new URL(url);
    // Non-special schemes (file:, ftp: after a redirect) have an opaque origin, "null".
    origin = parsed.origin === "null" ? `${parsed.protocol} URL` : parsed.origin;
  } catch {
    // keep the placeholder
  }
  const code = error && typeof error === "object" && "code" in error ? ` ${String((error as { code: unknown }).code)}` : "";
  const reason = error instanceof Error ? `${error.name}${code}: ${error.message}` : String(error);
  console.error(`[emulator] download from ${origin} failed: ${reason}`);
}

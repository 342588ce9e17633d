import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

/** The URL could not be turned into a local file; `message` goes into the asset's `error.message`. */
export class DownloadFailed extends Error {
  override readonly name = "DownloadFailed";
}

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Fetches `url` into `target`, refusing non-2xx answers, oversize bodies and slow servers. */
export async function downloadUrl(url: string, target: string, options: DownloadOptions): Promise<{ bytes: number; contentType: string | undefined }> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: "follow" });
  } catch (error) {
    if (options.signal.aborted) throw error;
    throw new DownloadFailed(`the URL could not be fetched: ${describe(error)}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new DownloadFailed(`the URL could not be fetched: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > options.maxBytes) {
    await response.body.cancel().catch(() => undefined);
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
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), limit, createWriteStream(target), { signal });
  } catch (error) {
    if (options.signal.aborted) throw error;
    if (error instanceof DownloadFailed) throw error;
    throw new DownloadFailed(`the download from the URL did not complete: ${describe(error)}`);
  }
  return { bytes, contentType: response.headers.get("content-type") ?? undefined };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return "it did not answer in time";
    const cause = (error as { cause?: unknown }).cause;
    const code = cause && typeof cause === "object" && "code" in cause ? String((cause as { code: unknown }).code) : undefined;
    const detail = cause instanceof Error ? cause.message : error.message;
    return code && !detail.includes(code) ? `${code} ${detail}` : detail;
  }
  return String(error);
}

import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeCorruptVideo, makeSampleVideo, serveFiles } from "@reelay/sample-media";
import type { FileServer } from "@reelay/sample-media";
import type { EmulatorConfig } from "../config.ts";
import { startEmulator } from "../start-emulator.ts";
import type { RunningEmulator } from "../start-emulator.ts";

/** Short stages keep the lifecycle observable (several polls per stage) without slowing the suite. */
export const FAST: Partial<EmulatorConfig> = { itemStageMs: 200, assetProcessingMs: 100 };

export async function startTestEmulator(options: Partial<EmulatorConfig> = {}): Promise<RunningEmulator> {
  return startEmulator({ ...FAST, ...options });
}

/** Sample files are shared by all test files (generated once, cached by name) and served on loopback. */
export async function serveSampleMedia(): Promise<{ files: FileServer; samplePath: string }> {
  const dir = join(tmpdir(), "reelay-sample-media-cache");
  const samplePath = await makeSampleVideo(dir);
  await makeCorruptVideo(dir);
  return { files: await serveFiles(dir), samplePath };
}

/** Polls `read` until `done` holds or the deadline passes; returns the last value read. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, { timeoutMs = 30_000, intervalMs = 25 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A raw HTTP client for what the SDK refuses to send (untagged configs, bad input, no key). */
export function rawClient(baseUrl: string, apiKey: string | null = "test-key") {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const isForm = body instanceof FormData;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(apiKey ? { "x-api-key": apiKey } : {}),
        ...(body !== undefined && !isForm && typeof body !== "string" ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : isForm || typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  };
}

/** A loopback URL nothing listens on (a port that was free a moment ago; fetch refuses well-known "bad" ports like 1). */
export async function unreachableUrl(path = "video.mp4"): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/${path}`;
}

// `npm run demo`: the platform's quickstart, end to end through Reelay, on this machine.
// Starts whatever is not running (API + worker + emulator), makes a small sample video with
// speech, serves it on loopback, registers a local webhook receiver, then uploads the video,
// builds a knowledge store, indexes the video and asks a question through the official
// TwelveLabs SDK pointed at Reelay, printing each signed callback as it arrives.
import { mkdir } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { TwelvelabsApiClient } from "twelvelabs-js";
import { createApiKey } from "@reelay/api";
import { createPrisma, DEFAULT_DATABASE_URL } from "@reelay/db";
import { makeSampleVideo, serveFiles } from "@reelay/sample-media";
import { startStack, type RunningStack } from "./lib/stack.ts";

const started = Date.now();
const say = (line: string) => console.log(`[demo +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
const cleanups: Array<() => Promise<void>> = [];

async function isUp(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

/** Polls until `done`, printing each new status; gives up after `timeoutMs`. */
async function watch<T extends { status?: string }>(label: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  for (;;) {
    const value = await probe();
    if (value.status !== last) say(`${label}: ${(last = value.status)}`);
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${label} did not finish within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A webhook receiver on loopback that checks each delivery's signature with the standardwebhooks
 * library (what a receiver in production should do) and prints it.
 */
async function startReceiver(): Promise<{ url: string; useSecret: (secret: string) => void; close: () => Promise<void> }> {
  let verifier: Webhook | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      try {
        const event = verifier?.verify(body, req.headers as Record<string, string>) as { type: string; sequence: number; data: { _id?: string; id?: string; status?: string } };
        say(`webhook ← ${event.type} (${event.data._id ?? event.data.id}, sequence ${event.sequence}), signature verified`);
        res.writeHead(204).end();
      } catch (error) {
        say(`webhook ← refused a delivery: ${error instanceof Error ? error.message : String(error)}`);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/reelay-webhooks`,
    useSecret: (secret) => (verifier = new Webhook(secret)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const env = process.env;
  let apiUrl = env.REELAY_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`;
  if (await isUp(apiUrl)) {
    say(`using the Reelay already running at ${apiUrl}`);
  } else {
    say("starting Reelay (migrations, API, worker and, unless TWELVELABS_BASE_URL is set, the emulator)");
    const stack: RunningStack = await startStack({ env, log: (line) => say(line) });
    cleanups.push(stack.close);
    apiUrl = stack.apiUrl;
  }

  let apiKey = env.REELAY_API_KEY;
  if (!apiKey) {
    const prisma = createPrisma(env.DATABASE_URL || DEFAULT_DATABASE_URL);
    apiKey = (await createApiKey(prisma, "demo")).apiKey;
    await prisma.$disconnect();
    say("created an API key for tenant 'demo'");
  }

  let videoUrl = env.DEMO_VIDEO_URL;
  if (!videoUrl) {
    const dir = path.resolve(".data/demo");
    await mkdir(dir, { recursive: true });
    await makeSampleVideo(dir);
    const files = await serveFiles(dir);
    cleanups.push(files.close);
    videoUrl = files.url("sample.mp4");
    say(`sample video (9 s, three scenes, spoken sentence) served at ${videoUrl}`);
  }

  // Reelay's own addition: a signed callback when things are ready, instead of polling.
  const receiver = await startReceiver();
  cleanups.push(receiver.close);
  const registered = await fetch(`${apiUrl}/v1.3/webhooks`, {
    method: "POST",
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    body: JSON.stringify({ url: receiver.url, events: ["asset.ready", "asset.failed", "knowledge_store_item.ready", "knowledge_store_item.failed", "response.completed", "response.failed"] }),
  });
  if (registered.status !== 201) throw new Error(`registering the webhook receiver failed: HTTP ${registered.status} ${await registered.text()}`);
  const endpoint = (await registered.json()) as { _id: string; secret: string };
  receiver.useSecret(endpoint.secret);
  cleanups.push(async () => void (await fetch(`${apiUrl}/v1.3/webhooks/${endpoint._id}`, { method: "DELETE", headers: { "x-api-key": apiKey } })));
  say(`webhook receiver ${receiver.url} registered (${endpoint._id})`);

  // The official SDK, unchanged, with Reelay as its base URL.
  const client = new TwelvelabsApiClient({ apiKey, environment: `${apiUrl}/v1.3` });

  say("1/4 POST /v1.3/assets (method=url)");
  const asset = await client.assets.create({ method: "url", url: videoUrl });
  say(`asset ${asset.id} is ${asset.status}`);
  const readyAsset = await watch("asset", () => client.assets.retrieve(asset.id!), (a) => a.status !== "processing");
  if (readyAsset.status !== "ready") throw new Error(`the asset failed: ${readyAsset.error?.message ?? "no reason given"}`);
  say(`asset ready: ${readyAsset.duration?.toFixed(1)} s, ${readyAsset.size} bytes`);

  say("2/4 POST /v1.3/knowledge-stores");
  const store = await client.knowledgeStores.create({
    name: "Reelay demo",
    description: "The quickstart, through the gateway",
    ingestionConfig: { enrichmentConfig: { type: "description", description: "What is shown and what is said" } },
  });
  say(`knowledge store ${store.id}`);

  say("3/4 POST /v1.3/knowledge-stores/{id}/items");
  const item = await client.knowledgeStoreItems.create(store.id!, { assetId: asset.id! });
  const indexed = await watch("item", () => client.knowledgeStoreItems.retrieve(store.id!, item.id!), (i) => i.status === "ready" || i.status === "failed");
  if (indexed.status !== "ready") throw new Error("indexing failed");

  const question = env.DEMO_QUESTION ?? "What happens in this video, and what is said?";
  say(`4/4 POST /v1.3/responses: "${question}"`);
  const answer = await client.responses.create({ knowledgeStoreId: store.id!, input: [{ type: "message", role: "user", content: question }] });
  const text = answer.output?.find((o) => o.type === "message")?.content?.[0];
  say(`response ${answer.id} is ${answer.status}`);
  console.log(`\n${text?.text ?? "(no text)"}\n`);
  for (const citation of text?.annotations ?? []) {
    console.log(`  cited: ${citation.title ?? citation.itemId} ${citation.startSec}-${citation.endSec} s (item ${citation.itemId})`);
  }
  console.log("");
  // The response.completed callback races the synchronous answer; give it a moment to print.
  await new Promise((resolve) => setTimeout(resolve, 500));
  say("done");
}

try {
  await main();
} catch (error) {
  console.error(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createApiKey } from "@reelay/api";
import { createPrisma, type PrismaClient } from "@reelay/db";
import type { EmulatorConfig } from "@reelay/emulator";
import { startStack, type RunningStack } from "../../scripts/lib/stack.ts";
import { createTestDatabase } from "./databases.ts";

export interface TestStack extends RunningStack {
  /** Base URL of the facade, e.g. http://127.0.0.1:PORT/v1.3 */
  base: string;
  prisma: PrismaClient;
  databaseUrl: string;
  blobDir: string;
  /** A new tenant with a new key; tests isolate from each other by tenant. */
  newTenant: (name?: string) => Promise<{ tenantId: string; apiKey: string }>;
  /** Resolves once every event is relayed and no delivery to an enabled endpoint is pending or being sent. */
  relayIdle: () => Promise<void>;
}

/**
 * A whole Reelay on random ports: its own database cloned from the template, its own queue
 * prefix, the worker polling fast, and a real emulator (fast item stages) as the platform.
 */
export async function startTestStack(
  options: { asr?: boolean; env?: NodeJS.ProcessEnv; startWorker?: boolean; itemStageMs?: number; emulator?: Partial<EmulatorConfig> } = {},
): Promise<TestStack> {
  const database = await createTestDatabase();
  const blobDir = await mkdtemp(path.join(tmpdir(), "reelay-blobs-"));
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    QUEUE_PREFIX: `test-${randomBytes(4).toString("hex")}`,
    BLOB_DIR: blobDir,
    PORT: "0",
    POLL_INITIAL_MS: "200",
    POLL_MAX_MS: "1000",
    // The emulator's stages last 400 ms here: a store's watcher looks often enough to see each one.
    WATCH_INTERVAL_MIN_MS: "100",
    WATCH_INTERVAL_MAX_MS: "200",
    RESPONSE_TIMEOUT_MS: "30000",
    // Tests drive one tenant hard on purpose; the limit has its own test.
    TENANT_RATE_LIMIT_PER_S: "0",
    ...options.env,
  };
  const stack = await startStack({ env, migrate: false, startWorker: options.startWorker ?? true, emulator: { port: 0, itemStageMs: options.itemStageMs ?? 400, assetProcessingMs: 100, asr: options.asr ?? false, ...options.emulator } });
  const prisma = createPrisma(database.url);
  return {
    ...stack,
    base: `${stack.apiUrl}/v1.3`,
    prisma,
    databaseUrl: database.url,
    blobDir,
    newTenant: async (name) => {
      const created = await createApiKey(prisma, name ?? `tenant-${randomBytes(4).toString("hex")}`);
      return { tenantId: created.tenantId, apiKey: created.apiKey };
    },
    relayIdle: async () => {
      const busy = async () =>
        (await prisma.event.count({ where: { relayedAt: null } })) + (await prisma.webhookDelivery.count({ where: { status: { in: ["pending", "sending"] }, endpoint: { enabled: true } } }));
      await pollUntil(busy, (n) => n === 0);
    },
    close: async () => {
      await stack.close();
      await prisma.$disconnect();
      await database.drop();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until `done` holds or the deadline passes; returns every distinct value seen. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, options: { timeoutMs?: number; intervalMs?: number; key?: (value: T) => string } = {}): Promise<{ last: T; seen: string[] }> {
  const deadline = Date.now() + (options.timeoutMs ?? 45_000);
  const seen: string[] = [];
  for (;;) {
    const value = await probe();
    const key = options.key?.(value);
    if (key !== undefined && seen[seen.length - 1] !== key) seen.push(key);
    if (done(value)) return { last: value, seen };
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

/** A response body as loosely typed JSON: tests assert its shape explicitly. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export const readJson = async (res: Response | Promise<Response>): Promise<Json> => (await res).json() as Promise<Json>;

/** A worker in its own process (so tests can SIGKILL it), configured like the stack's own. */
export function spawnWorker(stack: Pick<TestStack, "workerConfig">, overrides: Record<string, string> = {}): ChildProcess {
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(stack.workerConfig).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])),
    ...overrides,
  };
  return spawn(process.execPath, ["--import", "tsx", "services/worker/src/main.ts"], { env, stdio: "ignore" });
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

export async function stopGently(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

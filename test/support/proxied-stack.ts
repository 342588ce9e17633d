import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiKey } from "@reelay/api";
import { createPrisma, type PrismaClient } from "@reelay/db";
import { startStack, type RunningStack } from "../../scripts/lib/stack.ts";
import { createTestDatabase } from "./databases.ts";
import { startTcpProxy, viaProxy, type TcpProxy } from "./tcp-proxy.ts";

export interface ProxiedTestStack extends RunningStack {
  /** Base URL of the facade, e.g. http://127.0.0.1:PORT/v1.3 */
  base: string;
  /** Stands between the stack (API, worker, their LISTEN connections) and Postgres. */
  postgresProxy: TcpProxy;
  /** A direct connection to the stack's database, around the proxy: what the test checks with. */
  prisma: PrismaClient;
  /** The stack's database, reached directly. */
  databaseUrl: string;
  newTenant: (name?: string) => Promise<{ tenantId: string; apiKey: string }>;
}

/**
 * Like startTestStack (its own cloned database, queue prefix, emulator, fast polls), except that
 * the API and the worker reach Postgres through a TCP proxy the test can cut and restore: a
 * Postgres restart, without restarting the Postgres other test files share.
 */
export async function startTestStackBehindProxy(options: { itemStageMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ProxiedTestStack> {
  const database = await createTestDatabase();
  const direct = new URL(database.url);
  const postgresProxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const blobDir = await mkdtemp(path.join(tmpdir(), "reelay-blobs-"));
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: viaProxy(database.url, postgresProxy),
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    QUEUE_PREFIX: `test-${randomBytes(4).toString("hex")}`,
    BLOB_DIR: blobDir,
    PORT: "0",
    POLL_INITIAL_MS: "200",
    POLL_MAX_MS: "1000",
    RESPONSE_TIMEOUT_MS: "30000",
    ...options.env,
  };
  const stack = await startStack({ env, migrate: false, emulator: { port: 0, itemStageMs: options.itemStageMs ?? 400, assetProcessingMs: 100, asr: false } });
  const prisma = createPrisma(database.url);
  return {
    ...stack,
    base: `${stack.apiUrl}/v1.3`,
    postgresProxy,
    prisma,
    databaseUrl: database.url,
    newTenant: async (name) => {
      const created = await createApiKey(prisma, name ?? `tenant-${randomBytes(4).toString("hex")}`);
      return { tenantId: created.tenantId, apiKey: created.apiKey };
    },
    close: async () => {
      // A test that failed mid-outage still shuts its stack down cleanly.
      if (postgresProxy.isCut()) await postgresProxy.restore();
      await stack.close();
      await postgresProxy.close();
      await prisma.$disconnect();
      await database.drop();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createApiKey } from "@reelay/api";
import { createPrisma, DEFAULT_DATABASE_URL, type PrismaClient } from "@reelay/db";
import { migrateDatabase } from "@reelay/db/migrate";
import { startStack, type RunningStack, type StackOptions } from "../../scripts/lib/stack.ts";

export interface BenchStack extends RunningStack {
  base: string;
  prisma: PrismaClient;
  apiKey: string;
  tenantId: string;
}

/**
 * A whole Reelay on loopback with a database of its own (created, migrated, dropped after), so a
 * benchmark never touches the developer's data. Options pass through to the composition root.
 */
export async function startBenchStack(options: { env?: NodeJS.ProcessEnv } & Omit<StackOptions, "env" | "migrate"> = {}): Promise<BenchStack> {
  const admin = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  const name = `reelay_bench_${randomBytes(4).toString("hex")}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await migrateDatabase(databaseUrl);
  const blobDir = await mkdtemp(path.join(tmpdir(), "reelay-bench-"));
  const stack = await startStack({
    ...options,
    migrate: false,
    // Random ports: a developer's `npm start` (API :3000, emulator :4010) may be running.
    env: { TENANT_RATE_LIMIT_PER_S: "0", DATABASE_URL: databaseUrl, QUEUE_PREFIX: `bench-${randomBytes(3).toString("hex")}`, BLOB_DIR: blobDir, PORT: "0", EMULATOR_PORT: "0", ...options.env },
  });
  const prisma = createPrisma(databaseUrl);
  const { apiKey, tenantId } = await createApiKey(prisma, "bench");
  return {
    ...stack,
    base: `${stack.apiUrl}/v1.3`,
    prisma,
    apiKey,
    tenantId,
    close: async () => {
      await stack.close();
      await prisma.$disconnect();
      admin.pathname = "/postgres";
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

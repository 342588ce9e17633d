import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@reelay/api";
import { createPrisma, type PrismaClient } from "@reelay/db";
import { createTestDatabase } from "./support/databases.ts";
import { pollUntil, readJson, stopGently } from "./support/stack.ts";

/**
 * The production artifacts: each service bundled to plain JavaScript (what npm start, Docker and
 * compose run), started as its own process, no TypeScript loader anywhere.
 */
const services = ["api", "worker", "emulator"] as const;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
let blobDir: string;
const processes: ChildProcess[] = [];
const api = `http://127.0.0.1:${31_000 + Math.floor(Math.random() * 1_000)}`;
const emulatorPort = 32_000 + Math.floor(Math.random() * 1_000);

async function until(url: string): Promise<void> {
  await pollUntil(async () => (await fetch(url).catch(() => undefined))?.ok ?? false, Boolean, { timeoutMs: 20_000 });
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ["scripts/build.mjs", ...services.flatMap((name) => [`services/${name}/src/main.ts`, `services/${name}/dist/main.js`])]);
  database = await createTestDatabase();
  prisma = createPrisma(database.url);
  blobDir = await mkdtemp(path.join(tmpdir(), "reelay-built-"));
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    QUEUE_PREFIX: `built-${randomBytes(3).toString("hex")}`,
    BLOB_DIR: blobDir,
    PORT: new URL(api).port,
    EMULATOR_PORT: String(emulatorPort),
    TWELVELABS_BASE_URL: `http://127.0.0.1:${emulatorPort}/v1.3`,
    POLL_INITIAL_MS: "200",
  };
  for (const name of services) processes.push(spawn(process.execPath, [`services/${name}/dist/main.js`], { env, stdio: "ignore" }));
  await until(`http://127.0.0.1:${emulatorPort}/health`);
  await until(`${api}/readyz`);
});
afterAll(async () => {
  for (const child of processes) await stopGently(child);
  await prisma?.$disconnect();
  await database?.drop();
  if (blobDir) await rm(blobDir, { recursive: true, force: true });
});

describe("the built services", () => {
  it("run as plain node processes: the API serves, the worker creates on the emulator, the contract is published", async () => {
    const { apiKey } = await createApiKey(prisma, "built");
    const store = await readJson(fetch(`${api}/v1.3/knowledge-stores`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify({ name: "built" }) }));
    expect(store._id).toMatch(/^ks_/);
    const job = await pollUntil(() => readJson(fetch(`${api}/v1.3/jobs/${store.job_id}?wait=5`, { headers: { "x-api-key": apiKey } })), (j) => j.status === "succeeded", { timeoutMs: 20_000 });
    expect(job.last.resource.status).toBe("synced");
    expect((await readJson(fetch(`${api}/openapi.json`))).openapi).toBe("3.1.0");
  });
});

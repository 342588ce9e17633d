import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { ensureDatabase } from "./index.ts";

/**
 * The folder holding prisma/: found upwards from this module (its source or a bundle of it), so
 * migrations are found whether the code runs from src/ or from a built dist/.
 */
function findRepoRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "prisma", "migrations"))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}
const repoRoot = findRepoRoot();

/**
 * True when every migration directory is recorded as applied. The Prisma CLI spends ~10 s
 * offline retrying an engine download it does not need before it exits, so start-up asks
 * Postgres first and runs the CLI only when there is something to apply.
 */
async function allMigrationsApplied(databaseUrl: string): Promise<boolean> {
  const entries = await readdir(path.join(repoRoot, "prisma/migrations"), { withFileTypes: true });
  const expected = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const applied = await client.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const names = new Set(applied.rows.map((row) => row.migration_name));
    return expected.every((name) => names.has(name));
  } catch {
    return false; // no _prisma_migrations table yet
  } finally {
    await client.end();
  }
}

/** Creates the database if missing and applies prisma/migrations (prisma migrate deploy). */
export async function migrateDatabase(databaseUrl: string, log: (line: string) => void = () => {}): Promise<void> {
  if (await ensureDatabase(databaseUrl)) log(`created database ${new URL(databaseUrl).pathname.slice(1)}`);
  if (await allMigrationsApplied(databaseUrl)) {
    log("database schema is up to date");
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) {
        log("migrations applied");
        resolve();
      } else reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`));
    });
  });
}

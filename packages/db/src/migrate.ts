import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureDatabase } from "./index.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Creates the database if missing and applies prisma/migrations (prisma migrate deploy). */
export async function migrateDatabase(databaseUrl: string, log: (line: string) => void = () => {}): Promise<void> {
  if (await ensureDatabase(databaseUrl)) log(`created database ${new URL(databaseUrl).pathname.slice(1)}`);
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

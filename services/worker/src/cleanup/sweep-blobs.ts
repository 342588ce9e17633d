import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "@reelay/db";

/**
 * Deletes uploads nothing will send: a blob whose asset is no longer waiting to be created upstream
 * (or never committed), and the temporary files of interrupted uploads. Young files are left alone:
 * an upload in progress (or renamed just before its asset commits) is recent by definition.
 */
export async function sweepBlobs(deps: { prisma: PrismaClient; blobDir: string; log: (message: string) => void }, minAgeMs = 60 * 60_000): Promise<number> {
  let names: string[];
  try {
    names = await readdir(deps.blobDir);
  } catch {
    return 0; // no uploads yet
  }
  const now = Date.now();
  const ages = new Map<string, number>();
  for (const name of names) {
    const info = await stat(path.join(deps.blobDir, name)).catch(() => undefined);
    if (info?.isFile()) ages.set(name, now - info.mtimeMs);
  }
  // Blobs are named after their asset; the rest are multer's temporary files.
  const assetNamed = [...ages.keys()].filter((name) => /^[0-9a-f]{24}$/.test(name));
  const waiting = new Set(
    (await deps.prisma.asset.findMany({ where: { blobKey: { in: assetNamed }, status: "processing", upstreamId: null }, select: { blobKey: true } })).map((a) => a.blobKey),
  );
  const known = new Set((await deps.prisma.asset.findMany({ where: { blobKey: { in: assetNamed } }, select: { blobKey: true } })).map((a) => a.blobKey));
  let removed = 0;
  for (const [name, age] of ages) {
    const orphan = /^[0-9a-f]{24}$/.test(name) ? !waiting.has(name) && (known.has(name) || age > minAgeMs) : age > minAgeMs;
    if (!orphan) continue;
    await rm(path.join(deps.blobDir, name), { force: true });
    removed++;
  }
  if (removed) deps.log(`blob sweep: removed ${removed} upload(s) nothing will send`);
  return removed;
}

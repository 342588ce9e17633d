import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newAssetId } from "@reelay/contract";
import { createPrisma, type PrismaClient } from "@reelay/db";
import { completeMultipartUpload, multipartChunkDir, openMultipartUpload } from "@reelay/domain";
import { createTestDatabase } from "../../../../test/support/databases.ts";
import { sweepMultipartUploads } from "./sweep-multipart-uploads.ts";

const HOUR = 3600_000;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
let blobDir: string;
let tenantId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrisma(database.url);
  blobDir = await mkdtemp(path.join(tmpdir(), "reelay-sweep-"));
  tenantId = (await prisma.tenant.create({ data: { id: `ten_${randomBytes(6).toString("hex")}`, name: `sweep-${randomBytes(4).toString("hex")}` } })).id;
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
  await rm(blobDir, { recursive: true, force: true });
});

/** A session (expiring `expiresInMs` from now) with one chunk file on disk. */
async function session(expiresInMs: number) {
  const { asset, upload } = await prisma.$transaction((tx) =>
    openMultipartUpload(tx, {
      asset: { id: newAssetId(), tenantId, filename: "a.mp4" },
      upload: { id: newAssetId(), filename: "a.mp4", fileType: "video", totalSize: 10n, chunkSize: 10, totalChunks: 1, expiresAt: new Date(Date.now() + expiresInMs) },
    }),
  );
  const dir = multipartChunkDir(blobDir, upload.id);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "1.etag"), "0123456789");
  return { asset, upload, dir };
}
const exists = async (dir: string) => (await readdir(path.dirname(dir))).includes(path.basename(dir));

describe("sweepMultipartUploads", () => {
  it("expires overdue sessions (their asset fails, saying why) and removes their chunks; leaves open ones alone", async () => {
    const overdue = await session(-1000);
    const open = await session(HOUR);
    await sweepMultipartUploads({ prisma, blobDir, log: () => {} });

    expect(await prisma.multipartUpload.findUniqueOrThrow({ where: { id: overdue.upload.id } })).toMatchObject({ status: "expired" });
    expect(await prisma.asset.findUniqueOrThrow({ where: { id: overdue.asset.id } })).toMatchObject({ status: "failed", errorMessage: expect.stringContaining("expired") });
    expect(await prisma.event.count({ where: { resourceId: overdue.asset.id, type: "asset.failed" } })).toBe(1);
    expect(await exists(overdue.dir)).toBe(false);

    expect(await prisma.multipartUpload.findUniqueOrThrow({ where: { id: open.upload.id } })).toMatchObject({ status: "active" });
    expect(await exists(open.dir)).toBe(true);
  });

  it("fails the session of a deleted asset, and keeps a completed session's chunks only until they are joined", async () => {
    const deleted = await session(HOUR);
    await prisma.asset.update({ where: { id: deleted.asset.id }, data: { deletedAt: new Date() } });
    const joining = await session(HOUR);
    const joined = await session(HOUR);
    for (const s of [joining, joined]) await prisma.$transaction((tx) => completeMultipartUpload(tx, s.upload));
    await prisma.asset.update({ where: { id: joined.asset.id }, data: { blobKey: joined.asset.id } });

    await sweepMultipartUploads({ prisma, blobDir, log: () => {} });
    expect(await prisma.multipartUpload.findUniqueOrThrow({ where: { id: deleted.upload.id } })).toMatchObject({ status: "failed" });
    expect(await exists(deleted.dir)).toBe(false);
    expect(await exists(joining.dir)).toBe(true);
    expect(await exists(joined.dir)).toBe(false);
  });

  it("removes a chunk directory of no session once it is older than the orphan age", async () => {
    const young = multipartChunkDir(blobDir, newAssetId());
    const old = multipartChunkDir(blobDir, newAssetId());
    for (const dir of [young, old]) await mkdir(dir, { recursive: true });
    const longAgo = new Date(Date.now() - 2 * HOUR);
    await utimes(old, longAgo, longAgo);
    await sweepMultipartUploads({ prisma, blobDir, log: () => {} }, HOUR);
    expect(await exists(young)).toBe(true);
    expect(await exists(old)).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newAssetId, newId } from "@reelay/contract";
import { createPrisma, type PrismaClient } from "@reelay/db";
import { toAssetWire, toItemWire, toJobWire, toKnowledgeStoreWire, withItemCount } from "@reelay/domain";
import { getAsset } from "../services/api/src/assets/get-asset.ts";
import { getItem } from "../services/api/src/items/get-item.ts";
import { getJob } from "../services/api/src/jobs/get-job.ts";
import { getKnowledgeStore } from "../services/api/src/knowledge-stores/get-knowledge-store.ts";
import { createTestDatabase } from "./support/databases.ts";

/**
 * The status reads (`getItem`, `getJob`, `getAsset`, `getKnowledgeStore`) run their own SQL past
 * Prisma (`defineRowRead`). Whatever Prisma's model read returns for the same row, they must
 * return too, column for column and type for type, or a response body changes.
 */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
const tenantId = newId("tenant");
const otherTenantId = newId("tenant");

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrisma(database.url);
  await prisma.tenant.createMany({ data: [{ id: tenantId, name: tenantId }, { id: otherTenantId, name: otherTenantId }] });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

// Every optional column set, with values that tell a faithful read from a near miss: milliseconds,
// a bigint past 2^53, a fraction, nested JSON with unicode, a JSON null inside an object.
const at = (iso: string) => new Date(iso);
const json = { nested: { list: [1, 2.5, "três", null, true], emoji: "🎬" }, big: 12345678901234 };

async function fullRows() {
  const assetId = newAssetId();
  const asset = await prisma.asset.create({
    data: {
      id: assetId,
      tenantId,
      method: "direct",
      status: "ready",
      filename: "clip.mp4",
      fileType: "video",
      sourceUrl: "https://example.com/clip.mp4",
      blobKey: "blobs/clip",
      enableHls: true,
      enableThumbnail: true,
      userMetadata: { owner: "ana" },
      size: 2n ** 60n + 7n,
      duration: 3.125,
      technicalMetadata: json,
      errorMessage: "none",
      upstreamId: newAssetId(),
      version: 4,
      jobId: newId("job"),
      hls: { status: "COMPLETE", manifest_url: "https://example.com/m.m3u8" },
      thumbnail: { status: "COMPLETE", representative_url: "https://example.com/t.jpg" },
      upstreamUpload: { upload_id: "u1", chunk_size: 5 },
      createdAt: at("2024-02-29T23:59:59.999Z"),
    },
  });
  const store = await prisma.knowledgeStore.create({
    data: {
      id: newId("knowledgeStore"),
      tenantId,
      name: "store",
      description: "described",
      ingestionConfig: { segmentation: { strategy: "fixed" } },
      metadata: { team: "video" },
      syncStatus: "failed",
      errorMessage: "upstream refused",
      upstreamId: newId("knowledgeStore"),
      version: 2,
      jobId: newId("job"),
      createdAt: at("2023-12-31T23:00:00.001Z"),
      updatedAt: at("2024-01-01T00:00:00.010Z"),
    },
  });
  const item = await prisma.knowledgeStoreItem.create({
    data: {
      id: newId("item"),
      tenantId,
      knowledgeStoreId: store.id,
      assetId: asset.id,
      assetType: "video",
      status: "failed",
      metadata: { k: "v" },
      systemMetadata: json,
      errorMessage: "could not index",
      upstreamId: newId("item"),
      version: 7,
      jobId: newId("job"),
      createdAt: at("2024-06-01T12:00:00.5Z"),
    },
  });
  // A deleted item, which the store's item_count leaves out.
  await prisma.knowledgeStoreItem.create({ data: { id: newId("item"), tenantId, knowledgeStoreId: store.id, assetId: asset.id, deletedAt: new Date() } });
  const job = await prisma.job.create({
    data: {
      id: newId("job"),
      tenantId,
      type: "item.index",
      resourceId: item.id,
      resourceStatus: "processing",
      status: "waiting_remote",
      stage: "await_ready",
      state: json,
      priority: 3,
      attempts: 2,
      polls: 11,
      nextPollAt: at("2030-01-01T00:00:00.123Z"),
      createSentAt: at("2024-06-01T12:00:01Z"),
      leaseUntil: at("2024-06-01T12:05:00Z"),
      leaseToken: "lease",
      lastError: { code: "platform_unavailable", message: "503", retryable: true },
      deadlineAt: at("2024-06-02T12:00:00Z"),
      version: 5,
      startedAt: at("2024-06-01T12:00:00.7Z"),
      waitingRemoteAt: at("2024-06-01T12:00:02Z"),
      finishedAt: at("2024-06-01T12:10:00Z"),
    },
  });
  return { asset, store, item, job };
}

/** Fails when a column has no value in the fixture: a column added later must be given one here. */
function expectEveryColumnSet(row: object, except: string[] = []) {
  for (const [column, value] of Object.entries(row)) if (!except.includes(column)) expect(value, column).not.toBeNull();
}

async function minimalRows() {
  const asset = await prisma.asset.create({ data: { id: newAssetId(), tenantId, method: "url" } });
  const store = await prisma.knowledgeStore.create({ data: { id: newId("knowledgeStore"), tenantId, name: "bare", updatedAt: new Date() } });
  const item = await prisma.knowledgeStoreItem.create({ data: { id: newId("item"), tenantId, knowledgeStoreId: store.id, assetId: asset.id } });
  const job = await prisma.job.create({ data: { id: newId("job"), tenantId, type: "item.index", resourceId: item.id, deadlineAt: new Date() } });
  return { asset, store, item, job };
}

type Rows = Awaited<ReturnType<typeof fullRows>>;

/** Each read beside Prisma's, and their response bodies. */
async function expectSameAsPrisma(db: Parameters<typeof getItem>[0], { asset, store, item, job }: Rows) {
  const prismaItem = await prisma.knowledgeStoreItem.findUniqueOrThrow({ where: { id: item.id } });
  const readItem = await getItem(db, tenantId, store.id, item.id);
  expect(readItem).toStrictEqual(prismaItem);
  expect(JSON.stringify(toItemWire(readItem))).toBe(JSON.stringify(toItemWire(prismaItem)));

  const prismaJob = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  const readJob = await getJob(db, tenantId, job.id);
  expect(readJob).toStrictEqual(prismaJob);
  expect(JSON.stringify(toJobWire(readJob))).toBe(JSON.stringify(toJobWire(prismaJob)));

  const prismaAsset = await prisma.asset.findUniqueOrThrow({ where: { id: asset.id } });
  const readAsset = await getAsset(db, tenantId, asset.id);
  expect(readAsset).toStrictEqual(prismaAsset);
  expect(JSON.stringify(toAssetWire(readAsset))).toBe(JSON.stringify(toAssetWire(prismaAsset)));

  const prismaStore = await prisma.knowledgeStore.findUniqueOrThrow({ where: { id: store.id }, include: withItemCount });
  const readStore = await getKnowledgeStore(db, tenantId, store.id);
  expect(readStore).toStrictEqual(prismaStore);
  expect(JSON.stringify(toKnowledgeStoreWire(readStore))).toBe(JSON.stringify(toKnowledgeStoreWire(prismaStore)));
}

describe("the status reads, past Prisma", () => {
  it("when every column is set > return what Prisma's model read returns, column for column, and the same response body", async () => {
    const rows = await fullRows();
    for (const row of [rows.asset, rows.item, rows.job]) expectEveryColumnSet(row, ["deletedAt"]);
    expectEveryColumnSet(rows.store, ["deletedAt"]);
    await expectSameAsPrisma(prisma, rows);
    expect((await getKnowledgeStore(prisma, tenantId, rows.store.id))._count).toEqual({ items: 1 });
  });

  it("when the optional columns are null > return the same nulls as Prisma", async () => {
    await expectSameAsPrisma(prisma, await minimalRows());
  });

  it("when the process runs in another time zone > read timestamps as the UTC Prisma stored", async () => {
    const rows = await fullRows();
    const zone = process.env.TZ;
    process.env.TZ = "America/Sao_Paulo";
    try {
      expect(new Date(2024, 0, 1).getTimezoneOffset()).not.toBe(0);
      await expectSameAsPrisma(prisma, rows);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("when given an interactive transaction > read inside it, with the same result", async () => {
    const rows = await fullRows();
    await prisma.$transaction((tx) => expectSameAsPrisma(tx, rows));
  });

  it("when the row is deleted, of a deleted store, of another store or of another tenant > 404", async () => {
    const { asset, store, item, job } = await minimalRows();
    const other = await minimalRows();
    const notFound = { status: 404, platformCode: "resource_not_exist" };
    await expect(getItem(prisma, tenantId, other.store.id, item.id)).rejects.toMatchObject(notFound);
    await expect(getItem(prisma, otherTenantId, store.id, item.id)).rejects.toMatchObject(notFound);
    await expect(getJob(prisma, otherTenantId, job.id)).rejects.toMatchObject(notFound);
    await expect(getAsset(prisma, otherTenantId, asset.id)).rejects.toMatchObject(notFound);
    await expect(getKnowledgeStore(prisma, otherTenantId, store.id)).rejects.toMatchObject(notFound);

    await prisma.knowledgeStoreItem.update({ where: { id: other.item.id }, data: { deletedAt: new Date() } });
    await expect(getItem(prisma, tenantId, other.store.id, other.item.id)).rejects.toMatchObject(notFound);
    await prisma.asset.update({ where: { id: asset.id }, data: { deletedAt: new Date() } });
    await expect(getAsset(prisma, tenantId, asset.id)).rejects.toMatchObject(notFound);
    await prisma.knowledgeStore.update({ where: { id: store.id }, data: { deletedAt: new Date() } });
    await expect(getKnowledgeStore(prisma, tenantId, store.id)).rejects.toMatchObject(notFound);
    await expect(getItem(prisma, tenantId, store.id, item.id)).rejects.toMatchObject(notFound);
  });
});

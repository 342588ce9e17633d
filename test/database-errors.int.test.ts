import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asJson, createPrisma, defineRowRead, type PrismaClient } from "@reelay/db";
import { classifyDatabaseError } from "../services/api/src/http/database-errors.ts";
import { createTestDatabase } from "./support/databases.ts";
import { startTcpProxy, viaProxy, type TcpProxy } from "./support/tcp-proxy.ts";

/**
 * The classifier is only as good as the error shapes it was written against, so every case here
 * is a real error from real Postgres, pg and Prisma, not a hand-built object.
 */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
const opened: Array<{ $disconnect: () => Promise<void> }> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrisma(database.url);
  opened.push(prisma);
});
afterAll(async () => {
  for (const client of opened) await client.$disconnect().catch(() => undefined);
  await database?.drop();
});

async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the work to fail");
}

/** A server that accepts TCP connections and never says a word: a Postgres stuck starting, a half-open route. */
async function startSilentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("classifyDatabaseError", () => {
  it("when a NUL character reaches a text parameter (22021) > is unstorable text", async () => {
    const error = await errorOf(() => prisma.$queryRaw`SELECT ${"a\u0000b"}::text`);
    expect(classifyDatabaseError(error)).toBe("unstorable_input");
  });

  it("when a \\u0000 escape reaches jsonb (22P05) > is unstorable text", async () => {
    const error = await errorOf(() => prisma.$queryRaw`SELECT ${JSON.stringify({ k: "a\u0000b" })}::jsonb`);
    expect(classifyDatabaseError(error)).toBe("unstorable_input");
  });

  it("when a lone surrogate or JSON nested past Prisma's recursion limit reaches the query engine > is unstorable input", async () => {
    expect(classifyDatabaseError(await errorOf(() => prisma.tenant.findFirst({ where: { name: "\ud800" } })))).toBe("unstorable_input");
    const deep = asJson(JSON.parse(`${"[".repeat(200)}${"]".repeat(200)}`));
    expect(classifyDatabaseError(await errorOf(() => prisma.job.findFirst({ where: { lastError: { equals: deep } } })))).toBe("unstorable_input");
  });

  it("when a number is past its column's type (P2020, an INT4 compared with 2^31) > is unstorable input", async () => {
    const error = await errorOf(() => prisma.event.findMany({ where: { sequence: { gt: 2 ** 31 } } }));
    expect(error).toMatchObject({ code: "P2020" });
    expect(classifyDatabaseError(error)).toBe("unstorable_input");
  });

  it("when nothing listens on the database's port (P1001) > is unavailable", async () => {
    const nowhere = createPrisma("postgresql://postgres@127.0.0.1:1/nowhere");
    opened.push(nowhere);
    expect(classifyDatabaseError(await errorOf(() => nowhere.tenant.count()))).toBe("unavailable");
    expect(classifyDatabaseError(await errorOf(() => nowhere.$queryRaw`SELECT 1`))).toBe("unavailable");
    expect(classifyDatabaseError(await errorOf(() => nowhere.$transaction(async (tx) => tx.tenant.count())))).toBe("unavailable");
  });

  it("when the server terminates the session, as on a shutdown (57P01 admin_shutdown) > is unavailable", async () => {
    const victim = createPrisma(database.url);
    opened.push(victim);
    const running = errorOf(() => victim.$queryRaw`SELECT pg_sleep(10)::text`);
    await expect
      .poll(() => prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(10)%'`.then((rows) => Number(rows[0]?.n)))
      .toBe(1);
    await prisma.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(10)%'`;
    expect(classifyDatabaseError(await running)).toBe("unavailable");
  });

  it("when the server terminates a row read's session (pg's own DatabaseError, 57P01) or refuses its connection > is unavailable", async () => {
    const sleep = defineRowRead<{ slept: string }, []>("test_terminated_sleep", "SELECT pg_sleep(10)::text AS slept");
    const victim = createPrisma(database.url);
    opened.push(victim);
    const running = errorOf(() => sleep(victim));
    await expect
      .poll(() => prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(10)::text AS slept%'`.then((rows) => Number(rows[0]?.n)))
      .toBe(1);
    await prisma.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(10)::text AS slept%'`;
    expect(await running).toMatchObject({ code: "57P01" });
    expect(classifyDatabaseError(await running)).toBe("unavailable");
    const nowhere = createPrisma("postgresql://postgres@127.0.0.1:1/nowhere");
    opened.push(nowhere);
    expect(classifyDatabaseError(await errorOf(() => sleep(nowhere)))).toBe("unavailable");
  });

  it("when the connection is reset mid-query, then refused (ConnectionClosed, P1001) > is unavailable", async () => {
    let proxy: TcpProxy | undefined;
    try {
      const direct = new URL(database.url);
      proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      const behindProxy = createPrisma(viaProxy(database.url, proxy));
      opened.push(behindProxy);
      await behindProxy.$queryRaw`SELECT 1`;
      const running = errorOf(() => behindProxy.$queryRaw`SELECT pg_sleep(10)::text`);
      await expect.poll(() => prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(10)%'`.then((rows) => Number(rows[0]?.n))).toBe(1);
      await proxy.cut();
      expect(classifyDatabaseError(await running)).toBe("unavailable");
      // And the next query, which finds the port closed.
      expect(classifyDatabaseError(await errorOf(() => behindProxy.tenant.count()))).toBe("unavailable");
    } finally {
      await proxy?.close();
    }
  });

  it("when the server accepts the connection and never answers (pg connect time-out) > is unavailable", async () => {
    const silent = await startSilentServer();
    try {
      const stuck = createPrisma(`postgresql://postgres@127.0.0.1:${silent.port}/stuck`, { connectTimeoutMs: 300 });
      opened.push(stuck);
      const started = Date.now();
      const error = await errorOf(() => stuck.tenant.count());
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(classifyDatabaseError(error)).toBe("unavailable");
    } finally {
      await silent.close();
    }
  });

  it("when every pooled connection stays busy past the connect time-out (pool exhausted) > is unavailable", async () => {
    const busy = createPrisma(database.url, { connectTimeoutMs: 300 });
    opened.push(busy);
    // Hold all ten of the pool's connections (pg's default size), then ask for one more.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = Promise.all(
      Array.from({ length: 10 }, () =>
        busy.$transaction(
          async (tx) => {
            await tx.$queryRaw`SELECT 1`;
            await held;
          },
          { timeout: 10_000, maxWait: 10_000 },
        ),
      ),
    );
    await expect.poll(() => prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`.then((rows) => Number(rows[0]?.n))).toBe(10);
    const error = await errorOf(() => busy.tenant.count());
    release();
    await holding;
    expect(classifyDatabaseError(error)).toBe("unavailable");
  });

  it("when an interactive transaction outlives its time-out (P2028) > is unavailable", async () => {
    const error = await errorOf(() =>
      prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT pg_sleep(0.3)::text`;
          await tx.$queryRaw`SELECT 1`;
        },
        { timeout: 100 },
      ),
    );
    expect(error).toMatchObject({ code: "P2028" });
    expect(classifyDatabaseError(error)).toBe("unavailable");
  });

  it("when the error is the query's or the code's (division by zero, a TypeError) > is no database fault", async () => {
    expect(classifyDatabaseError(await errorOf(() => prisma.$queryRaw`SELECT 1/0`))).toBeUndefined();
    expect(classifyDatabaseError(new TypeError("Cannot read properties of undefined"))).toBeUndefined();
    expect(classifyDatabaseError(undefined)).toBeUndefined();
  });
});

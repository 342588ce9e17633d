import { Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { PrismaPgReleasingBrokenTransactions } from "./pg-adapter.ts";
import { registerPool } from "./row-read.ts";

export { Prisma, PrismaClient };
export type * from "@prisma/client";
export { defineRowRead, modelColumns } from "./row-read.ts";

/** A client or an interactive transaction: domain functions take either. */
export type Db = PrismaClient | Prisma.TransactionClient;

export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/reelay";

export interface CreatePrismaOptions {
  /**
   * How long a query may wait for a connection — a new one to open, or a busy pool to free one —
   * before it fails (the API answers 503). pg's own default is to wait forever, so a Postgres that
   * never completes a connection (a half-open route, a server stuck starting) would hang every
   * request. Default 5000 ms.
   */
  connectTimeoutMs?: number;
}

/**
 * A Prisma client over a pg pool of its own, which the client's row reads (`defineRowRead`) share:
 * one pool, one connection limit. `$disconnect()` ends the pool.
 */
export function createPrisma(databaseUrl: string, options: CreatePrismaOptions = {}): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000 });
  // An idle connection that dies (Postgres restarting) is reported on the pool, which drops it;
  // unheard, the event would end the process. The adapter listens only once Prisma has connected,
  // and a row read may come first.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPgReleasingBrokenTransactions(pool, { disposeExternalPool: true }) });
  registerPool(prisma, pool);
  return prisma;
}

/** Creates the database named in the URL when it does not exist yet (start-up convenience). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!name) throw new Error("DATABASE_URL names no database");
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount) return false;
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    return true;
  } catch (error) {
    // Two processes racing to create it: the loser sees duplicate_database (42P04).
    if ((error as { code?: string }).code === "42P04") return false;
    throw error;
  } finally {
    await admin.end();
  }
}

/** True when the error is Prisma's unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Validated wire data is JSON by construction; zod's `unknown` records just cannot say so. */
export function asJson(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}

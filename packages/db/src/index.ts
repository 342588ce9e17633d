import { Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { PrismaPgReleasingBrokenTransactions } from "./pg-adapter.ts";

export { Prisma, PrismaClient };
export type * from "@prisma/client";

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

export function createPrisma(databaseUrl: string, options: CreatePrismaOptions = {}): PrismaClient {
  const adapter = new PrismaPgReleasingBrokenTransactions({ connectionString: databaseUrl, connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000 });
  return new PrismaClient({ adapter });
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

import { Prisma, type PrismaClient } from "@prisma/client";
import pg from "pg";
import type { Db } from "./index.ts";

/**
 * Hot reads that skip Prisma's query compiler.
 *
 * In Prisma 6.19 with the client engine every model query (`findFirst`, …) is compiled by a
 * WebAssembly query compiler and interpreted by the client runtime: about 1 ms of CPU for a
 * one-row lookup by primary key, ten times the cost of the query itself. `$queryRaw` still passes
 * through the runtime (about 0.2 ms). A status read polled by every client is worth one fixed SQL
 * statement, sent straight to the pool under the client (pg's own cost: about 0.05 ms), prepared
 * once per connection so Postgres does not parse and plan it again either.
 */

/** The pg pool behind each client `createPrisma` made: its queries and these reads share it. */
const pools = new WeakMap<PrismaClient, pg.Pool>();

export function registerPool(prisma: PrismaClient, pool: pg.Pool): void {
  pools.set(prisma, pool);
}

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

/**
 * Values as Prisma returns them: `timestamp` columns (Prisma's DateTime) hold UTC without a zone,
 * which pg would read as local time; `int8` (BigInt) is a bigint, which pg would leave a string.
 * Everything else (text, enums, int4, float8, boolean, json/jsonb parsed) pg already reads alike.
 */
const utcTimestamp = (value: string) => new Date(`${value.replace(" ", "T")}Z`);
const bigint = (value: string) => BigInt(value);
const asPrisma = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMP_OID) return utcTimestamp;
    if (oid === INT8_OID) return bigint;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * `"i"."tenant_id" AS "tenantId", …`: every scalar column of a model, named as its Prisma field, so
 * a row read with it has the model's shape. Taken from the generated client: a column added to
 * the schema is read here too.
 */
export function modelColumns(model: Prisma.ModelName, alias: string): string {
  const found = Prisma.dmmf.datamodel.models.find((candidate) => candidate.name === model);
  if (!found) throw new Error(`no model ${model} in the generated client`);
  return found.fields
    .filter((field) => field.kind === "scalar" || field.kind === "enum")
    .map((field) => `"${alias}"."${field.dbName ?? field.name}" AS "${field.name}"`)
    .join(", ");
}

const names = new Set<string>();

/**
 * A read of at most one row by one fixed SQL statement (`$1`, `$2`… for `values`), whose columns
 * come out in the shape of `Row` (select them with `modelColumns`). Given a client made by
 * `createPrisma`, it runs as the prepared statement `name` on the client's pool; given anything
 * else (an interactive transaction), through `$queryRawUnsafe`, inside it. Errors are pg's own
 * (the API's database-error classifier knows them).
 */
export function defineRowRead<Row, Values extends unknown[]>(name: string, text: string): (db: Db, ...values: Values) => Promise<Row | undefined> {
  // One name, one text, on every connection: pg refuses a name prepared with another text.
  if (names.has(name)) throw new Error(`row read ${name} is defined twice`);
  names.add(name);
  return async (db, ...values) => {
    const pool = pools.get(db as PrismaClient);
    const rows = pool ? (await pool.query<Row & pg.QueryResultRow>({ name, text, values, types: asPrisma })).rows : await db.$queryRawUnsafe<Row[]>(text, ...values);
    return rows[0];
  };
}

import pg from "pg";
import { migrateDatabase } from "@reelay/db/migrate";
import { templateDatabaseUrl } from "./support/databases.ts";

/** Migrates the template database once; test files clone it (CREATE DATABASE ... TEMPLATE). */
export default async function setup(): Promise<void> {
  await migrateDatabase(templateDatabaseUrl);
  // A template must have no open connections when it is cloned; migrate deploy closed its own.
  const url = new URL(templateDatabaseUrl);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [
    new URL(templateDatabaseUrl).pathname.slice(1),
  ]);
  await client.end();
}

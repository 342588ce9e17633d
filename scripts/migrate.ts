// `npm run db:migrate`: create the database if missing and apply migrations.
import { DEFAULT_DATABASE_URL } from "@reelay/db";
import { migrateDatabase } from "@reelay/db/migrate";

await migrateDatabase(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, (line) => console.log(line));

import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/reelay";

// Prisma 6.19 with the JS schema engine is the only combination that runs offline
// (see the team note on Prisma); the adapter must be @prisma/adapter-pg 7.x.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL }),
});

#!/usr/bin/env node
// Runs the Prisma CLI with DATABASE_URL defaulted. Without the variable Prisma 6.19 cannot
// resolve `env("DATABASE_URL")` and falls back to downloading a native engine, which fails
// offline with a misleading network error.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/reelay" };
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(result.status ?? 1);

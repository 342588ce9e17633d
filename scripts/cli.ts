// `npm run cli -- api-keys create --tenant <name>`: prints the new key alone on the last line.
import { parseArgs } from "node:util";
import { createApiKey } from "@reelay/api";
import { createPrisma, DEFAULT_DATABASE_URL } from "@reelay/db";
import { migrateDatabase } from "@reelay/db/migrate";

const usage = "usage: npm run cli -- api-keys create --tenant <name>";

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { tenant: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help || positionals[0] !== "api-keys" || positionals[1] !== "create") {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  const tenant = values.tenant?.trim();
  if (!tenant) {
    console.error(`--tenant is required\n${usage}`);
    return 2;
  }
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  await migrateDatabase(databaseUrl);
  const prisma = createPrisma(databaseUrl);
  try {
    const created = await createApiKey(prisma, tenant);
    console.log(`tenant ${tenant} (${created.tenantId}): created key ${created.keyId}. Store it now; it is not shown again.`);
    console.log(created.apiKey);
    return 0;
  } finally {
    await prisma.$disconnect();
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  return 1;
});

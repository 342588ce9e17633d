// `npm run cli -- api-keys create --tenant <name>`: prints the new key alone on the last line.
// `npm run cli -- api-keys revoke --key-id <id> | --prefix <printed prefix>`: every API process drops it at once.
import { parseArgs } from "node:util";
import { createApiKey, revokeApiKey } from "@reelay/api";
import { createPrisma, DEFAULT_DATABASE_URL } from "@reelay/db";
import { migrateDatabase } from "@reelay/db/migrate";

const usage = "usage: npm run cli -- api-keys create --tenant <name>\n       npm run cli -- api-keys revoke --key-id <id> | --prefix <prefix>";

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { tenant: { type: "string" }, "key-id": { type: "string" }, prefix: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const command = positionals[0] === "api-keys" ? positionals[1] : undefined;
  if (values.help || (command !== "create" && command !== "revoke")) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  const tenant = values.tenant?.trim();
  if (command === "create" && !tenant) {
    console.error(`--tenant is required\n${usage}`);
    return 2;
  }
  if (command === "revoke" && !values["key-id"] && !values.prefix) {
    console.error(`--key-id or --prefix is required\n${usage}`);
    return 2;
  }
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  await migrateDatabase(databaseUrl);
  const prisma = createPrisma(databaseUrl);
  try {
    if (command === "revoke") {
      const revoked = await revokeApiKey(prisma, { ...(values["key-id"] ? { keyId: values["key-id"] } : {}), ...(values.prefix ? { prefix: values.prefix } : {}) });
      console.log(`revoked ${revoked} key(s)`);
      return revoked > 0 ? 0 : 1;
    }
    const created = await createApiKey(prisma, tenant!);
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

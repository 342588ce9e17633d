// `npm run bench [-- names...] [--json]`: starts what each benchmark needs on loopback, measures,
// and prints one table, every figure beside a baseline measured in the same run.
import { parseArgs } from "node:util";
import { renderTable, type Row } from "./lib/report.ts";
import { benchWebhooks } from "./webhooks.ts";

const benches: Record<string, () => Promise<Row[]>> = {
  webhooks: () => benchWebhooks(),
};

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: "boolean" } } });
const chosen = positionals.length ? positionals : Object.keys(benches);
const rows: Row[] = [];
for (const name of chosen) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(", ")}`);
    process.exit(2);
  }
  console.error(`[bench] ${name}…`);
  rows.push(...(await bench()));
}
console.log(values.json ? JSON.stringify({ machine: { cpus: (await import("node:os")).cpus().length, node: process.version }, rows }, null, 2) : renderTable(rows));
process.exit(0);

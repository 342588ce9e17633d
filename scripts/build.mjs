#!/usr/bin/env node
// Bundles one entry point (TypeScript, the workspace packages it imports, their `.ts` imports)
// into one ES module for plain `node`: production processes run compiled JavaScript, not a
// TypeScript loader. npm dependencies stay external (node_modules, the generated Prisma client).
// usage: node scripts/build.mjs <entry.ts> <out.js> [<entry.ts> <out.js> ...]
import { build } from "esbuild";

/** npm packages stay in node_modules; the workspace's own packages (@reelay/*) are bundled from source. */
const npmPackagesExternal = {
  name: "npm-packages-external",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@reelay/") ? undefined : { path: args.path, external: true }));
  },
};

const pairs = process.argv.slice(2);
if (pairs.length === 0 || pairs.length % 2 !== 0) {
  console.error("usage: node scripts/build.mjs <entry.ts> <out.js> [...]");
  process.exit(2);
}
for (let i = 0; i < pairs.length; i += 2) {
  await build({
    entryPoints: [pairs[i]],
    outfile: pairs[i + 1],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    plugins: [npmPackagesExternal],
    sourcemap: "linked",
    logLevel: "warning",
    // Bundled workspace code still imports CommonJS npm packages by name; `require` for the few that need it.
    banner: { js: "import { createRequire as __reelayRequire } from 'node:module'; const require = __reelayRequire(import.meta.url);" },
  });
}

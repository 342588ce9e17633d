// `npm start`: migrations, then API + worker (+ emulator unless TWELVELABS_BASE_URL is set).
import { startStack } from "./lib/stack.ts";

const stack = await startStack({ env: process.env, log: (line) => console.log(`[reelay] ${line}`) }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
console.log(`[reelay] ready: ${stack.apiUrl}/v1.3 (platform: ${stack.platformUrl})`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("[reelay] stopping");
  await stack.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);

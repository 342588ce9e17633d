// The worker process: parses its environment, starts, and stops cleanly on SIGTERM/SIGINT.
import { parseEnv } from "@reelay/contract";
import { createLogger } from "@reelay/telemetry";
import { WorkerConfig } from "./config.ts";
import { startWorker } from "./start-worker.ts";

const config = parseEnv(WorkerConfig, process.env, "worker");
const worker = await startWorker(config);
createLogger("worker").info(`processing jobs from ${config.TWELVELABS_BASE_URL}`);
const stop = async () => {
  await worker.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);

// The api process: parses its environment, starts, and stops cleanly on SIGTERM/SIGINT.
import { parseEnv } from "@reelay/contract";
import { createLogger } from "@reelay/telemetry";
import { ApiConfig } from "./config.ts";
import { startApi } from "./start-api.ts";

const config = parseEnv(ApiConfig, process.env, "api");
const api = await startApi(config);
createLogger("api").info(`listening on ${api.url}`);
const stop = async () => {
  await api.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);

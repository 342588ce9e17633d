import { ApiConfig, startApi } from "@reelay/api";
import { parseEnv } from "@reelay/contract";
import { migrateDatabase } from "@reelay/db/migrate";
import { EmulatorEnv, parseEmulatorConfig, startEmulator, type EmulatorConfig, type RunningEmulator } from "@reelay/emulator";
import { createMetrics } from "@reelay/telemetry";
import { startWorker, WorkerConfig } from "@reelay/worker";

export interface StackOptions {
  env: NodeJS.ProcessEnv;
  /** Overrides applied after parsing the environment (tests: random ports, fast polls). */
  api?: Partial<ApiConfig>;
  worker?: Partial<WorkerConfig>;
  emulator?: Partial<EmulatorConfig>;
  /** Start the worker in this process. Default true (tests of crash recovery start their own). */
  startWorker?: boolean;
  /** Apply migrations (creating the database if missing) first. Default true. */
  migrate?: boolean;
  log?: (line: string) => void;
}

export interface RunningStack {
  apiUrl: string;
  /** The platform the worker talks to: the emulator started here, or TWELVELABS_BASE_URL. */
  platformUrl: string;
  startedEmulator: boolean;
  /** The emulator started here (its fault controls included), when one was. */
  emulator?: RunningEmulator;
  /** The worker's configuration, as started here or for starting one elsewhere. */
  workerConfig: WorkerConfig;
  close: () => Promise<void>;
}

/**
 * The composition root of a whole Reelay: API, worker and, unless TWELVELABS_BASE_URL is set, the
 * local emulator, wired together in one process. `npm start`, the demo and the end-to-end tests
 * all start Reelay through here.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? (() => {});
  // A local run delivers webhooks to receivers on this machine (the demo's); production refuses them.
  const env: NodeJS.ProcessEnv = { WEBHOOK_PRIVATE_TARGETS: "loopback", ...options.env };
  const apiConfig = { ...parseEnv(ApiConfig, env, "api"), ...options.api };
  // Validate the emulator's variables up front too, so a typo stops start-up with its name.
  parseEnv(EmulatorEnv, env, "emulator");
  const closers: Array<() => Promise<void>> = [];
  // One process, one registry: the API's /metrics shows the worker's platform calls and deliveries too.
  const metrics = createMetrics("reelay");
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error: unknown) => log(`close failed: ${String(error)}`));
  };
  try {
    if (options.migrate !== false) await migrateDatabase(apiConfig.DATABASE_URL, log);

    let platformUrl = env.TWELVELABS_BASE_URL;
    let emulator: RunningEmulator | undefined;
    if (!platformUrl) {
      emulator = await startEmulator({ ...parseEmulatorConfig(env), ...options.emulator });
      closers.push(emulator.close);
      platformUrl = emulator.url;
      log(`emulator listening on ${emulator.url}`);
    }

    const workerConfig = {
      ...parseEnv(WorkerConfig, { ...env, TWELVELABS_BASE_URL: platformUrl }, "worker"),
      DATABASE_URL: apiConfig.DATABASE_URL,
      REDIS_URL: apiConfig.REDIS_URL,
      QUEUE_PREFIX: apiConfig.QUEUE_PREFIX,
      BLOB_DIR: apiConfig.BLOB_DIR,
      ...options.worker,
    };
    if (options.startWorker !== false) {
      const worker = await startWorker(workerConfig, undefined, { metrics });
      closers.push(worker.close);
      log(`worker processing jobs against ${platformUrl}`);
    }

    const api = await startApi(apiConfig, { metrics });
    closers.push(api.close);
    log(`api listening on ${api.url}`);
    return { apiUrl: api.url, platformUrl, startedEmulator: emulator !== undefined, ...(emulator ? { emulator } : {}), workerConfig, close };
  } catch (error) {
    await close();
    throw error;
  }
}

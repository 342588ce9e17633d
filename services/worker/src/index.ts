export { WorkerConfig } from "./config.ts";
export { startWorker } from "./start-worker.ts";
export { createWorker, type WorkerDeps } from "./worker.ts";
export { createPlatformClient, type PlatformClient } from "./platform/platform-client.ts";
export { reconcileJobs } from "./reconcile/reconcile-jobs.ts";

import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { API_VERSION, routeTable } from "@reelay/contract";
import express from "express";
import type { Express, RequestHandler } from "express";
import { assetMediaRoutes } from "./assets/asset-media-routes.ts";
import { assetsRoutes } from "./assets/assets-routes.ts";
import { Background } from "./background.ts";
import { collectionsRoutes } from "./collections/collections-routes.ts";
import { ConcurrencyLimit } from "./concurrency-limit.ts";
import { isLoopbackHost } from "./config.ts";
import type { EmulatorConfig } from "./config.ts";
import type { EmulatorContext } from "./context.ts";
import { adminRoutes } from "./http/admin-routes.ts";
import { createFaultControls } from "./http/fault-controls.ts";
import type { FaultControls } from "./http/fault-controls.ts";
import { FaultInjector } from "./http/fault-injector.ts";
import { GateStats } from "./http/gate-stats.ts";
import { methodNotAllowed } from "./http/method-not-allowed.ts";
import { listOperations, tableOperations } from "./http/operations.ts";
import { renderError, routeNotFound } from "./http/render-error.ts";
import { requestGate } from "./http/request-gate.ts";
import { requireApiKey } from "./http/require-api-key.ts";
import { itemsRoutes } from "./items/items-routes.ts";
import { knowledgeStoresRoutes } from "./knowledge-stores/knowledge-stores-routes.ts";
import { chunkUploadRoutes } from "./multipart-uploads/chunk-upload-routes.ts";
import { expireUploadsFirst } from "./multipart-uploads/get-upload.ts";
import { multipartUploadsRoutes } from "./multipart-uploads/multipart-uploads-routes.ts";
import { responsesRoutes } from "./responses/responses-routes.ts";
import { EmulatorState } from "./state/emulator-state.ts";

export interface EmulatorApp {
  /** The Express app; not listening. */
  app: Express;
  /** The fault plan and counters, also served under `/admin`. */
  faults: FaultControls;
  /** Stops background work (timers, downloads, ffmpeg) and deletes the instance's temp files. */
  close(): Promise<void>;
}

/** One emulator instance with its own in-memory state, serving the platform's API under `/v1.3`. */
export function createEmulatorApp(config: EmulatorConfig): EmulatorApp {
  const workDir = mkdtempSync(join(config.dataDir ?? tmpdir(), "reelay-emulator-"));
  const limits = { downloads: new ConcurrencyLimit(config.maxConcurrentDownloads), media: new ConcurrencyLimit(config.maxConcurrentMedia) };
  const ctx: EmulatorContext = { config, state: new EmulatorState(), background: new Background(), workDir, limits };
  const faultInjector = new FaultInjector(config.faults);
  const gateStats = new GateStats(config.retryAfterGraceMs);
  const faults = createFaultControls({ faults: faultInjector, stats: gateStats, limits });

  const app = express();
  app.disable("x-powered-by");
  app.use(apiVersionHeader);
  app.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });

  const api = express.Router();
  api.use(requireApiKey(config.apiKey));
  api.use(requestGate({ faults: faultInjector, stats: gateStats, routes: api }));
  api.use(express.json({ limit: "2mb" }));
  api.use(expireUploadsFirst(ctx));
  // Multipart before assets: `/assets/:asset_id` would also match `/assets/multipart-uploads`.
  api.use(multipartUploadsRoutes(ctx), assetsRoutes(ctx), knowledgeStoresRoutes(ctx), itemsRoutes(ctx), collectionsRoutes(ctx), responsesRoutes(ctx));
  // The platform's paths are the route table's; Reelay's own (jobs, webhooks) are not the platform's: 404.
  api.use(methodNotAllowed(() => tableOperations(routeTable.filter((route) => route.origin === "platform"))));
  api.use(routeNotFound);
  app.use(`/${API_VERSION}`, api);
  // What the platform serves from storage and CDN hosts: presigned chunk URLs, derived media.
  const files = express.Router();
  files.use(chunkUploadRoutes(ctx), assetMediaRoutes(ctx));
  files.use(methodNotAllowed(() => listOperations(files)));
  app.use(files);
  app.use("/admin", adminRoutes(faults, { adminKey: config.adminKey, loopbackOnly: isLoopbackHost(config.host) }));
  app.use(routeNotFound);
  app.use(renderError);

  return {
    app,
    faults,
    close: async () => {
      await ctx.background.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** The platform stamps every response, errors included. */
const apiVersionHeader: RequestHandler = (_req, res, next) => {
  res.setHeader("X-Api-Version", API_VERSION);
  next();
};

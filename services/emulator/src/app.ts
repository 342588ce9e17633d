import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { API_VERSION } from "@reelay/contract";
import express from "express";
import type { Express, RequestHandler } from "express";
import { assetsRoutes } from "./assets/assets-routes.ts";
import { Background } from "./background.ts";
import type { EmulatorConfig } from "./config.ts";
import type { EmulatorContext } from "./context.ts";
import { renderError, routeNotFound } from "./http/render-error.ts";
import { requestGate } from "./http/request-gate.ts";
import { requireApiKey } from "./http/require-api-key.ts";
import { itemsRoutes } from "./items/items-routes.ts";
import { knowledgeStoresRoutes } from "./knowledge-stores/knowledge-stores-routes.ts";
import { responsesRoutes } from "./responses/responses-routes.ts";
import { EmulatorState } from "./state/emulator-state.ts";

export interface EmulatorApp {
  /** The Express app; not listening. */
  app: Express;
  /** Stops background work (timers, downloads, ffmpeg) and deletes the instance's temp files. */
  close(): Promise<void>;
}

/** One emulator instance with its own in-memory state, serving the platform's API under `/v1.3`. */
export function createEmulatorApp(config: EmulatorConfig): EmulatorApp {
  const workDir = mkdtempSync(join(config.dataDir ?? tmpdir(), "reelay-emulator-"));
  const ctx: EmulatorContext = { config, state: new EmulatorState(), background: new Background(), workDir };

  const app = express();
  app.disable("x-powered-by");
  app.use(apiVersionHeader);
  app.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });

  const api = express.Router();
  api.use(requireApiKey(config.apiKey));
  api.use(requestGate());
  api.use(express.json({ limit: "2mb" }));
  api.use(assetsRoutes(ctx), knowledgeStoresRoutes(ctx), itemsRoutes(ctx), responsesRoutes(ctx));
  api.use(routeNotFound);
  app.use(`/${API_VERSION}`, api);
  app.use(routeNotFound);
  app.use(renderError);

  return {
    app,
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

import express from "express";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { PrismaClient } from "@reelay/db";
import type { EventHub } from "@reelay/domain";
import { createLogger, createMetrics, logFn, type Metrics } from "@reelay/telemetry";
import type { Logger } from "pino";
import { assetRoutes } from "./assets/assets-routes.ts";
import { DEFAULT_MULTIPART_CHUNK_BYTES, type ApiConfig } from "./config.ts";
import { requireApiKey } from "./http/auth.ts";
import { createApiKeyCache } from "./tenants/api-key-cache.ts";
import { errorRenderer, requestId, routeNotFound } from "./http/errors.ts";
import { docsRoutes } from "./http/docs-routes.ts";
import { healthRoutes } from "./http/health.ts";
import { methodNotAllowed } from "./http/method-not-allowed.ts";
import { tenantRateLimit } from "./http/tenant-rate-limit.ts";
import { accessLog, metricsRoutes, queueDashboard } from "./http/observability.ts";
import { collectionRoutes } from "./collections/collections-routes.ts";
import { itemRoutes } from "./items/items-routes.ts";
import { jobRoutes } from "./jobs/jobs-routes.ts";
import { knowledgeStoreRoutes } from "./knowledge-stores/knowledge-stores-routes.ts";
import { chunkUploadRoutes } from "./multipart-uploads/chunk-upload-routes.ts";
import { createChunkUrlSigner } from "./multipart-uploads/chunk-url-signer.ts";
import { multipartUploadsRoutes } from "./multipart-uploads/multipart-uploads-routes.ts";
import { responseRoutes } from "./responses/responses-routes.ts";
import { webhookRoutes } from "./webhooks/webhooks-routes.ts";

export interface AppDeps {
  prisma: PrismaClient;
  queue: Queue;
  webhookQueue: Queue;
  /** Wakes waiters (POST /responses, ?wait, SSE) when their resource's events commit. */
  hub: EventHub;
  /** The producer connection, pinged by /readyz. */
  redis: Redis;
  config: Pick<ApiConfig, "BLOB_DIR" | "RESPONSE_TIMEOUT_MS" | "JSON_BODY_LIMIT" | "MAX_UPLOAD_BYTES" | "WEBHOOK_PRIVATE_TARGETS"> &
    Partial<Pick<ApiConfig, "REELAY_PUBLIC_URL" | "MULTIPART_CHUNK_BYTES" | "MULTIPART_URL_SECRET" | "ADMIN_API_KEY" | "TENANT_RATE_LIMIT_PER_S" | "TENANT_RATE_LIMIT_BURST" | "QUEUE_PREFIX">>;
  /** Where the API logs (JSON lines). Default a pino logger for the service "api". */
  logger?: Logger;
  /** The process's metrics (shared with the worker when both run in one process). */
  metrics?: Metrics;
  /** Overrides the logger for warnings and errors (tests capture them). */
  log?: (message: string, error?: unknown) => void;
}

/** Builds the Express app without listening (tests drive it with supertest). */
export function createApp(deps: AppDeps): express.Express {
  const logger = deps.logger ?? createLogger("api");
  const metrics = deps.metrics ?? createMetrics("api");
  const log = deps.log ?? logFn(logger);
  const shared = { prisma: deps.prisma, queue: deps.queue, log };
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(requestId);
  app.use(accessLog(logger, metrics));

  const uploads = {
    ...shared,
    blobDir: deps.config.BLOB_DIR,
    chunkBytes: deps.config.MULTIPART_CHUNK_BYTES ?? DEFAULT_MULTIPART_CHUNK_BYTES,
    signer: createChunkUrlSigner(deps.config.MULTIPART_URL_SECRET),
    publicUrl: deps.config.REELAY_PUBLIC_URL,
  };

  const v13 = express.Router();
  // Authenticate before reading any body: an anonymous caller learns nothing but 401.
  v13.use(requireApiKey(createApiKeyCache(deps.prisma, deps.hub)));
  const perSecond = deps.config.TENANT_RATE_LIMIT_PER_S ?? 0;
  if (perSecond > 0) {
    v13.use(tenantRateLimit({ redis: deps.redis, prefix: deps.config.QUEUE_PREFIX ?? "reelay", perSecond, burst: deps.config.TENANT_RATE_LIMIT_BURST ?? perSecond * 2, log }));
  }
  v13.use(express.json({ limit: deps.config.JSON_BODY_LIMIT }));
  // A request walks every route of each router it enters until one matches (about 1 µs a route):
  // the status reads clients poll come first. No path of one router matches another's.
  v13.use(itemRoutes(shared));
  v13.use(jobRoutes({ ...shared, hub: deps.hub }));
  // Before the asset routes: `/assets/:asset_id` would also match `/assets/multipart-uploads`.
  v13.use(multipartUploadsRoutes(uploads));
  v13.use(assetRoutes({ ...shared, blobDir: deps.config.BLOB_DIR, maxUploadBytes: deps.config.MAX_UPLOAD_BYTES }));
  v13.use(knowledgeStoreRoutes({ ...shared, hub: deps.hub, searchTimeoutMs: deps.config.RESPONSE_TIMEOUT_MS }));
  v13.use(collectionRoutes(shared));
  v13.use(responseRoutes({ ...shared, hub: deps.hub, redis: deps.redis, responseTimeoutMs: deps.config.RESPONSE_TIMEOUT_MS }));
  v13.use(webhookRoutes({ prisma: deps.prisma, webhookQueue: deps.webhookQueue, privateTargets: deps.config.WEBHOOK_PRIVATE_TARGETS, log }));
  v13.use(methodNotAllowed);
  // First, for the same reason: the routers below serve no path under /v1.3.
  app.use("/v1.3", v13);

  app.use(healthRoutes({ prisma: deps.prisma, redis: deps.redis, log }));
  app.use(metricsRoutes({ metrics, prisma: deps.prisma, queues: [deps.queue, deps.webhookQueue] }));
  const dashboard = queueDashboard([deps.queue, deps.webhookQueue], deps.config.ADMIN_API_KEY);
  if (dashboard) app.use(dashboard);
  // The contract, readable without a key: /openapi.json and an offline docs page at /docs.
  app.use(docsRoutes());
  // Multipart chunk URLs: outside /v1.3 and without an API key (the signed URL authorises).
  app.use(chunkUploadRoutes(uploads));

  app.use(routeNotFound);
  app.use(errorRenderer(log));
  return app;
}

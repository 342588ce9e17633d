import type { RequestHandler, Router } from "express";
import express from "express";
import type { Queue } from "bullmq";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Logger } from "pino";
import { timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "@reelay/db";
import type { Metrics } from "@reelay/telemetry";

/** One access-log line and one latency sample per request, labelled by route (not by raw path). */
export function accessLog(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on("finish", () => {
      const seconds = (performance.now() - started) / 1000;
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : "unmatched";
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      logger.info({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, "request");
    });
    next();
  };
}

/**
 * GET /metrics: the process's counters and histograms, plus gauges read at scrape time: jobs by
 * type and state (open ones, from Postgres) and the queues' depth by state and oldest waiting age.
 */
export function metricsRoutes(deps: { metrics: Metrics; prisma: PrismaClient; queues: Queue[] }): Router {
  const { metrics } = deps;
  metrics.gauge("reelay_jobs", "Open jobs by type and state.", ["type", "status"], async (gauge) => {
    gauge.reset();
    const rows = await deps.prisma.job.groupBy({ by: ["type", "status"], where: { status: { in: ["queued", "running", "waiting_remote"] } }, _count: { _all: true } });
    for (const row of rows) gauge.set({ type: row.type, status: row.status }, row._count._all);
  });
  metrics.gauge("reelay_queue_jobs", "Queue entries by queue and state.", ["queue", "state"], async (gauge) => {
    for (const queue of deps.queues) {
      const counts = await queue.getJobCounts("wait", "prioritized", "active", "delayed", "failed");
      for (const [state, count] of Object.entries(counts)) gauge.set({ queue: queue.name, state }, count);
    }
  });
  metrics.gauge("reelay_queue_oldest_waiting_seconds", "Age of the oldest job waiting to run, by queue.", ["queue"], async (gauge) => {
    for (const queue of deps.queues) {
      const [oldest] = await queue.getJobs(["prioritized", "wait"], 0, 0, true);
      gauge.set({ queue: queue.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
    }
  });
  const router = express.Router();
  router.get("/metrics", async (_req, res) => {
    res.setHeader("Content-Type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return router;
}

/**
 * The queue dashboard (Bull Board) at /admin/queues, behind ADMIN_API_KEY: `x-admin-key`, or HTTP
 * basic auth with the key as password (for a browser). Without a key configured it is not mounted.
 */
export function queueDashboard(queues: Queue[], adminKey: string | undefined): Router | undefined {
  if (!adminKey) return undefined;
  const adapter = new ExpressAdapter();
  adapter.setBasePath("/admin/queues");
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })), serverAdapter: adapter });
  const expected = Buffer.from(adminKey);
  const same = (given: string | undefined) => given !== undefined && Buffer.byteLength(given) === expected.length && timingSafeEqual(Buffer.from(given), expected);
  const router = express.Router();
  router.use("/admin/queues", (req, res, next) => {
    const basic = /^Basic (.+)$/i.exec(req.header("authorization") ?? "")?.[1];
    const password = basic ? Buffer.from(basic, "base64").toString("utf8").split(":").slice(1).join(":") : undefined;
    if (same(req.header("x-admin-key")) || same(password)) return next();
    res.setHeader("WWW-Authenticate", 'Basic realm="Reelay queues"');
    res.status(401).json({ code: "api_key_invalid", message: "The queue dashboard needs the admin key." });
  });
  router.use("/admin/queues", adapter.getRouter());
  return router;
}

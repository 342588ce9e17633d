import { Router } from "express";
import type { Redis } from "ioredis";
import type { PrismaClient } from "@reelay/db";

export interface HealthDeps {
  prisma: PrismaClient;
  redis: Redis;
  /** Where a failed check's reason goes: /readyz is anonymous, so its body never carries one. */
  log: (message: string, error?: unknown) => void;
}

type Probe = () => Promise<unknown>;

/**
 * Runs one readiness probe with a deadline. A failure's reason is logged, never answered; and
 * logged once per change, since an orchestrator polls every few seconds through an outage.
 */
function readinessCheck(name: string, probe: Probe, log: HealthDeps["log"], timeoutMs = 2_000): () => Promise<{ ok: boolean }> {
  let reported: string | undefined;
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([probe(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))]);
      if (reported !== undefined) log(`readyz: ${name} is reachable again`);
      reported = undefined;
      return { ok: true };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (reason !== reported) log(`readyz: ${name} check failed`, error);
      reported = reason;
      return { ok: false };
    } finally {
      clearTimeout(timer);
    }
  };
}

/** `/healthz`: the process serves. `/readyz`: it can reach Postgres and Redis. */
export function healthRoutes(deps: HealthDeps): Router {
  const router = Router();
  const postgresCheck = readinessCheck("postgres", () => deps.prisma.$queryRaw`SELECT 1`, deps.log);
  const redisCheck = readinessCheck("redis", () => deps.redis.ping(), deps.log);
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const [postgres, redis] = await Promise.all([postgresCheck(), redisCheck()]);
    const ready = postgres.ok && redis.ok;
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "unavailable", checks: { postgres, redis } });
  });
  return router;
}

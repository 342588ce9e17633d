import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@reelay/contract";
import express, { Router } from "express";
import type { RequestHandler } from "express";
import { FaultConfig } from "./fault-config.ts";
import type { FaultControls } from "./fault-controls.ts";
import { parseInput } from "./parse-input.ts";

export interface AdminAccess {
  /** `EMULATOR_ADMIN_KEY`: when set, every /admin request must carry it in `x-admin-key`. */
  adminKey: string | undefined;
  /** Whether the emulator listens on loopback only; without a key, /admin is open only then. */
  loopbackOnly: boolean;
}

/**
 * The emulator's control plane, outside `/v1.3` so the request gate never faults it: the fault plan
 * (`GET`/`PUT`/`DELETE /admin/faults`) and the counters (`GET /admin/stats`, `POST /admin/stats/reset`).
 */
export function adminRoutes(controls: FaultControls, access: AdminAccess): Router {
  const router = Router();
  router.use(requireAdminAccess(access));
  router.use(express.json({ limit: "256kb" }));

  router.get("/faults", (_req, res) => {
    res.json(controls.get());
  });

  router.put("/faults", (req, res) => {
    // An empty body would parse as "no rules"; a PUT that lost its body must not silently clear the plan.
    if (req.body === undefined) throw new AppError({ code: "admin/missing_body", platformCode: "parameter_not_provided", status: 400, message: "The body must be a JSON fault config." });
    res.json(controls.set(parseInput(FaultConfig, req.body, "fault config")));
  });

  router.delete("/faults", (_req, res) => {
    controls.clear();
    res.status(204).end();
  });

  router.get("/stats", (_req, res) => {
    res.json(controls.stats());
  });

  router.post("/stats/reset", (_req, res) => {
    controls.resetStats();
    res.status(204).end();
  });

  return router;
}

function requireAdminAccess({ adminKey, loopbackOnly }: AdminAccess): RequestHandler {
  const expected = adminKey === undefined ? undefined : digest(adminKey);
  return (req, _res, next) => {
    if (expected === undefined) {
      if (loopbackOnly) return next();
      return next(
        new AppError({
          code: "admin/disabled",
          platformCode: "admin_disabled",
          status: 403,
          message: "The admin API is off: this emulator is reachable beyond loopback and EMULATOR_ADMIN_KEY is not set.",
        }),
      );
    }
    const given = req.get("x-admin-key");
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    next(new AppError({ code: "admin/invalid_key", platformCode: "admin_key_invalid", status: 401, message: "Send EMULATOR_ADMIN_KEY in the x-admin-key header." }));
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

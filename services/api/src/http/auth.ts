import type { RequestHandler, Response } from "express";
import { AppError } from "@reelay/contract";
import { addLogContext } from "@reelay/telemetry";
import type { ApiKeyCache } from "../tenants/api-key-cache.ts";

/** Authenticates `x-api-key` (the platform's header) and puts the tenant on res.locals. */
export function requireApiKey(keys: ApiKeyCache): RequestHandler {
  return async (req, res, next) => {
    const key = req.header("x-api-key");
    if (!key) {
      throw new AppError({ code: "auth/missing_api_key", platformCode: "api_key_invalid", status: 401, message: "The x-api-key header is required." });
    }
    const found = await keys.tenantOf(key);
    if (!found) {
      throw new AppError({ code: "auth/invalid_api_key", platformCode: "api_key_invalid", status: 401, message: "The API key is invalid or revoked." });
    }
    res.locals.tenantId = found.tenantId;
    addLogContext({ tenant: found.tenantId });
    next();
  };
}

export function tenantOf(res: Response): string {
  const tenantId = res.locals.tenantId as string | undefined;
  if (!tenantId) throw new Error("tenantOf called on a route without requireApiKey");
  return tenantId;
}

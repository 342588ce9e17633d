import type { RequestHandler } from "express";

/**
 * The one place every authenticated /v1.3 request passes before reaching a route. Fault injection
 * (429 and 5xx storms, latency) belongs here so that no route has to know about it; today it lets
 * everything through.
 */
export function requestGate(): RequestHandler {
  return (_req, _res, next) => next();
}

import type { RequestHandler } from "express";
import { AppError, routeTable } from "@reelay/contract";

/** Each route-table path as a matcher of request paths (under /v1.3), with the methods it takes. */
const paths = (() => {
  const byPath = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const route of routeTable) {
    const entry = byPath.get(route.path) ?? { pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, "[^/]+")}/?$`, "i"), methods: new Set<string>() };
    entry.methods.add(route.method.toUpperCase());
    if (route.method === "get") entry.methods.add("HEAD");
    byPath.set(route.path, entry);
  }
  return [...byPath.values()];
})();

/**
 * After the routes: a path of the contract asked with a method it does not take answers 405 with
 * `Allow`, instead of the 404 meant for paths that do not exist (which would tell an SDK caller
 * that an existing resource does not exist).
 */
export const methodNotAllowed: RequestHandler = (req, res, next) => {
  const allowed = new Set(paths.filter((path) => path.pattern.test(req.path)).flatMap((path) => [...path.methods]));
  if (allowed.size === 0 || allowed.has(req.method)) return next();
  const list = [...allowed].sort().join(", ");
  res.setHeader("Allow", list);
  next(new AppError({ code: "route/method_not_allowed", platformCode: "method_not_allowed", status: 405, message: `The ${req.method} method is not allowed on ${req.path}; this endpoint accepts ${list}.` }));
};

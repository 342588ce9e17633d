import { AppError } from "@reelay/contract";
import type { RequestHandler } from "express";
import { matchesPattern } from "./operations.ts";
import type { Operation } from "./operations.ts";

/**
 * Answers 405 with an `Allow` header when the path is one of `operations` but the method is not,
 * instead of the 404 meant for paths that do not exist. Place it after the routes; `operations` is
 * called on the first request, once every route is mounted.
 */
export function methodNotAllowed(operations: () => readonly Operation[]): RequestHandler {
  let known: readonly Operation[] | undefined;
  return (req, res, next) => {
    known ??= operations();
    const allowed = new Set(known.filter((op) => op.method !== "*" && matchesPattern(op.pattern, req.path)).map((op) => op.method));
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    const list = [...allowed].sort().join(", ");
    res.setHeader("Allow", list);
    next(
      new AppError({
        code: "route/method_not_allowed",
        platformCode: "method_not_allowed",
        status: 405,
        message: `The ${req.method} method is not allowed on ${req.path}; this endpoint accepts ${list}.`,
      }),
    );
  };
}

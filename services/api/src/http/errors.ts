import { randomUUID } from "node:crypto";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError, type ErrorBody } from "@reelay/contract";

/** Every request gets an id, echoed in `x-request-id` and in error bodies. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.header("x-request-id");
  const id = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader("x-request-id", id);
  res.setHeader("X-Api-Version", "v1.3");
  next();
};

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * Errors that Express's own parsers raise (body-parser, multer) carry a status or a code;
 * turn them into AppErrors so that one renderer answers everything.
 */
/** Prisma's codes for "the database is unreachable or overloaded": the caller may retry. */
const databaseUnavailableCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);

function fromFrameworkError(error: unknown): AppError | undefined {
  const e = error as { type?: string; status?: number; code?: string; field?: string; message?: string; name?: string };
  if (e.name?.startsWith("PrismaClient") && e.code && databaseUnavailableCodes.has(e.code)) {
    return new AppError({ code: "service/database_unavailable", platformCode: "service_unavailable", status: 503, message: "The service is temporarily unavailable; retry shortly.", retryAfter: 5 });
  }
  if (e.type === "entity.parse.failed") {
    return new AppError({ code: "request/malformed_json", platformCode: "parameter_invalid", status: 400, message: "The request body is not valid JSON." });
  }
  if (e.type === "entity.too.large" || e.code === "LIMIT_FILE_SIZE" || e.code === "LIMIT_FIELD_VALUE") {
    return new AppError({ code: "request/too_large", platformCode: "parameter_invalid", status: 413, message: "The request body is larger than this endpoint accepts." });
  }
  if (e.type === "encoding.unsupported" || e.type === "charset.unsupported") {
    return new AppError({ code: "request/unsupported_encoding", platformCode: "parameter_invalid", status: 415, message: e.message ?? "Unsupported encoding." });
  }
  if (typeof e.code === "string" && e.code.startsWith("LIMIT_")) {
    return new AppError({ code: "request/invalid_multipart", platformCode: "parameter_invalid", status: 400, message: `Invalid multipart body: ${e.message ?? e.code}${e.field ? ` (${e.field})` : ""}.` });
  }
  if (e.message === "Unexpected end of form" || e.message === "Multipart: Boundary not found") {
    return new AppError({ code: "request/invalid_multipart", platformCode: "parameter_invalid", status: 400, message: `Invalid multipart body: ${e.message}.` });
  }
  if (typeof e.status === "number" && e.status >= 400 && e.status < 500) {
    return new AppError({ code: "request/invalid", platformCode: "parameter_invalid", status: e.status, message: e.message ?? "Invalid request." });
  }
  return undefined;
}

export function errorBody(error: AppError, requestIdValue: string): ErrorBody {
  return {
    code: error.platformCode,
    message: error.detail ?? error.message,
    type: `urn:reelay:error:${error.code}`,
    title: titles[error.status] ?? "Error",
    status: error.status,
    detail: error.detail ?? error.message,
    request_id: requestIdValue,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

/** The one renderer. Unknown errors become a bare 500 with the request id and nothing leaked. */
export function errorRenderer(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const id = String(res.locals.requestId ?? "");
    const known = error instanceof AppError ? error : fromFrameworkError(error);
    if (!known) {
      log(`unhandled error (request ${id})`, error);
      res.status(500).json({ code: "internal_error", message: "Internal server error.", type: "urn:reelay:error:internal", title: titles[500], status: 500, request_id: id });
      return;
    }
    if (known.retryAfter !== undefined) res.setHeader("Retry-After", String(known.retryAfter));
    res.status(known.status).json(errorBody(known, id));
  };
}

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError({ code: "route/not_found", platformCode: "resource_not_exist", status: 404, message: `No route for ${req.method} ${req.path}.` }));
};

import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError, type ErrorBody } from "@reelay/contract";
import { withLogContext } from "@reelay/telemetry";
import { classifyDatabaseError } from "./database-errors.ts";

/** Every request gets an id, echoed in `x-request-id` and in error bodies. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.header("x-request-id");
  const id = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader("x-request-id", id);
  res.setHeader("X-Api-Version", "v1.3");
  // Every line logged while serving this request carries its id.
  withLogContext({ request_id: id }, next);
};

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Seconds a client is asked to wait while the database is unreachable or restarting. */
const DATABASE_RETRY_AFTER_S = 5;

function fromDatabaseError(error: unknown): AppError | undefined {
  switch (classifyDatabaseError(error)) {
    case "unavailable":
      return new AppError({ code: "service/database_unavailable", platformCode: "service_unavailable", status: 503, message: "The service is temporarily unavailable; retry shortly.", retryAfter: DATABASE_RETRY_AFTER_S });
    case "unstorable_input":
      // The backstop behind the input check (`findUnstorableInput`), which names the field:
      // reaching here means a value skipped it.
      return new AppError({
        code: "request/unstorable_input",
        platformCode: "parameter_invalid",
        status: 400,
        message: "The request contains a value that cannot be stored (a NUL character, invalid Unicode, a number out of range, or JSON nested too deeply).",
      });
    case undefined:
      return undefined;
  }
}

/**
 * Errors that Express's own parsers raise (body-parser, path decoding) carry a status or a type;
 * turn them into AppErrors so that one renderer answers everything. Multipart errors are
 * classified where the multipart parser runs (`multipart.ts`).
 */
function fromFrameworkError(error: unknown): AppError | undefined {
  const e = error as { type?: string; status?: number; message?: string };
  if (e.type === "entity.parse.failed") {
    return new AppError({ code: "request/malformed_json", platformCode: "parameter_invalid", status: 400, message: "The request body is not valid JSON." });
  }
  if (e.type === "entity.too.large") {
    return new AppError({ code: "request/too_large", platformCode: "parameter_invalid", status: 413, message: "The request body is larger than this endpoint accepts." });
  }
  if (e.type === "encoding.unsupported" || e.type === "charset.unsupported") {
    return new AppError({ code: "request/unsupported_encoding", platformCode: "parameter_invalid", status: 415, message: e.message ?? "Unsupported encoding." });
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
    const known = error instanceof AppError ? error : (fromDatabaseError(error) ?? fromFrameworkError(error));
    if (res.headersSent) {
      // A stream (SSE, a long answer) failed after its status went out: no error body can follow.
      // Cutting the connection is the honest signal; an EventSource reconnects with Last-Event-ID.
      log(`error after the response started (request ${id})`, error);
      res.destroy();
      return;
    }
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

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers past the 16 KiB limit,
 * bytes that are not HTTP) get the same error body as everything else, not Node's bare status
 * line: `server.on("clientError", answerClientError)`.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const reason = tooLarge ? "Request Header Fields Too Large" : "Bad Request";
  const appError = tooLarge
    ? new AppError({ code: "request/headers_too_large", platformCode: "parameter_invalid", status, message: "The request's headers are larger than the server accepts (16 KiB)." })
    : new AppError({ code: "request/malformed_http", platformCode: "parameter_invalid", status, message: "The request is not valid HTTP." });
  const id = randomUUID();
  const body = JSON.stringify({ ...errorBody(appError, id), title: reason });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${id}\r\nConnection: close\r\n\r\n${body}`,
  );
}

import { randomUUID } from "node:crypto";
import { AppError } from "@reelay/contract";
import type { ErrorRequestHandler, RequestHandler } from "express";
import multer from "multer";

/**
 * The platform's error body is `{code, message}`; the emulator copies it exactly (no problem+json
 * members) because it stands in for the platform, and clients must cope with what the platform sends.
 */
export const renderError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const appError = toAppError(error);
  if (!appError) {
    const requestId = randomUUID();
    console.error(`[emulator] ${req.method} ${req.originalUrl} failed (request ${requestId})`, error);
    res.status(500).json({ code: "internal_error", message: `Internal server error (request ${requestId}).` });
    return;
  }
  if (appError.retryAfter !== undefined) res.setHeader("Retry-After", String(appError.retryAfter));
  res.status(appError.status).json({ code: appError.platformCode, message: appError.detail ?? appError.message });
};

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(
    new AppError({
      code: "route/not_found",
      platformCode: "resource_not_exist",
      status: 404,
      message: `There is no ${req.method} ${req.path} endpoint in the v1.3 API.`,
    }),
  );
};

/** Body-parser and multer raise their own errors for bad input; they are 4xx, never 500. */
function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof multer.MulterError) {
    const tooLarge = error.code === "LIMIT_FILE_SIZE";
    return new AppError({
      code: "asset/invalid_upload",
      platformCode: "parameter_invalid",
      status: tooLarge ? 413 : 400,
      message: tooLarge
        ? "The file parameter is invalid: the file exceeds the direct upload limit; use method=url for larger files."
        : `The ${error.field ?? "multipart"} parameter is invalid: ${error.message}.`,
    });
  }
  if (isHttpError(error)) {
    const message =
      error.type === "entity.parse.failed"
        ? "The request body is not valid JSON."
        : error.type === "entity.too.large"
          ? "The request body is too large."
          : error.expose && error.message
            ? error.message
            : "The request could not be read.";
    return new AppError({ code: "request/unreadable", platformCode: "parameter_invalid", status: error.status, message });
  }
  return undefined;
}

function isHttpError(error: unknown): error is { status: number; type?: string; expose?: boolean; message?: string } {
  if (!error || typeof error !== "object" || !("status" in error)) return false;
  const status = (error as { status: unknown }).status;
  return typeof status === "number" && status >= 400 && status < 500;
}

import { rm } from "node:fs/promises";
import type { Request, RequestHandler } from "express";
import multer from "multer";
import { AppError, invalidParameter } from "@reelay/contract";
import { findUnstorableInput } from "./unstorable-input.ts";

export interface MultipartUploadOptions {
  /** Directory the one file part streams to (the blob directory, shared with the worker). */
  dest: string;
  /** Name of the file part. */
  fileField: string;
  /** Largest file, bytes; a larger one is a 413. */
  maxFileBytes: number;
  /** Largest text field, bytes; a larger one is a 413. Default 64 KiB. */
  maxFieldBytes?: number;
  /** Most text fields. Default 20. */
  maxFields?: number;
  /** Namespace of the error codes (`asset/invalid_parameter`). Default "request". */
  resource?: string;
}

/** busboy's fixed messages for a body that is not the multipart it claims to be. */
const malformedBodyMessages = new Set([
  "Malformed part header",
  "Unexpected end of form",
  "Unexpected end of file",
  "Multipart: Boundary not found",
  "Malformed urlencoded form",
  "Missing Content-Type",
]);

const printableFieldName = /^[\w.[\]-]{1,64}$/;

/**
 * Everything the multipart parser (multer over busboy) raises, as the platform's 4xx. Its errors
 * are the client's body being wrong — except a file system error (`syscall` set) while writing
 * the upload, which is ours and stays a 500.
 */
export function multipartError(error: unknown): unknown {
  const e = error as { name?: unknown; code?: unknown; field?: unknown; message?: unknown; syscall?: unknown };
  if (e === null || typeof e !== "object" || typeof e.syscall === "string") return error;
  const message = typeof e.message === "string" ? e.message : "";
  if (e.name === "MulterError") {
    if (e.code === "LIMIT_FILE_SIZE" || e.code === "LIMIT_FIELD_VALUE") {
      return new AppError({ code: "request/too_large", platformCode: "parameter_invalid", status: 413, message: "The request body is larger than this endpoint accepts." });
    }
    // Echo the part's name only when it is a plain one: it is client input.
    const field = typeof e.field === "string" && printableFieldName.test(e.field) ? e.field : undefined;
    return new AppError({
      code: "request/invalid_multipart",
      platformCode: "parameter_invalid",
      status: 400,
      message: `Invalid multipart body: ${message}${field ? ` (${field})` : ""}.`,
      ...(field ? { errors: [{ field, message }] } : {}),
    });
  }
  if (message.startsWith("Unsupported content type") || message === "Malformed content type") {
    return new AppError({ code: "request/unsupported_media_type", platformCode: "parameter_invalid", status: 415, message: "The request body must be multipart/form-data." });
  }
  return new AppError({
    code: "request/invalid_multipart",
    platformCode: "parameter_invalid",
    status: 400,
    message: `Invalid multipart body: ${malformedBodyMessages.has(message) ? message : "it could not be parsed"}.`,
  });
}

/**
 * The file part's own name and type come from its headers, not from a field `parse` sees, and
 * end up stored (`filename`, `file_type`): refuse what Postgres cannot store, and drop the file.
 */
async function checkFilePartHeaders(req: Request, options: MultipartUploadOptions): Promise<void> {
  const file = req.file;
  if (!file) return;
  const unstorable = findUnstorableInput({ filename: file.originalname, content_type: file.mimetype });
  if (!unstorable) return;
  await rm(file.path, { force: true });
  throw invalidParameter(`${options.fileField}.${unstorable.path.map(String).join(".")}`, unstorable.message, options.resource);
}

/**
 * Parses a `multipart/form-data` body with at most one file, streamed to disk; other bodies pass
 * through untouched. Every parser failure reaches the error renderer as an AppError.
 */
export function multipartUpload(options: MultipartUploadOptions): RequestHandler {
  const upload = multer({
    dest: options.dest,
    limits: { fileSize: options.maxFileBytes, files: 1, fields: options.maxFields ?? 20, fieldSize: options.maxFieldBytes ?? 64 * 1024 },
  }).single(options.fileField);
  return (req, res, next) => {
    upload(req, res, (error?: unknown) => {
      if (error !== undefined) return next(multipartError(error));
      checkFilePartHeaders(req, options).then(() => next(), next);
    });
  };
}

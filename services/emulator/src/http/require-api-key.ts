import { AppError } from "@reelay/contract";
import type { RequestHandler } from "express";

/** Any non-empty `x-api-key` works unless the emulator is configured with one specific key. */
export function requireApiKey(expected: string | undefined): RequestHandler {
  return (req, _res, next) => {
    const key = req.get("x-api-key")?.trim();
    if (!key) {
      next(new AppError({ code: "auth/missing_key", platformCode: "api_key_invalid", status: 401, message: "No API key was provided. Send it in the x-api-key header." }));
      return;
    }
    if (expected !== undefined && key !== expected) {
      next(new AppError({ code: "auth/invalid_key", platformCode: "api_key_invalid", status: 401, message: "The API key you provided is not valid." }));
      return;
    }
    next();
  };
}

import { AppError } from "@reelay/contract";
import type { z } from "zod";

/**
 * Parses request input with a route's schema; failures become the platform's 400 parameter errors:
 * `parameter_not_provided` when the failing field is absent from the input, else `parameter_invalid`.
 * (Mapped here rather than through the contract's `validationError`, whose signature is being
 * reworked for the API; the emulator only needs the platform's two codes.)
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, resource: string): z.output<T> {
  const value = input ?? {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;

  const errors = result.error.issues.map((issue) => ({ field: issue.path.map(String).join(".") || "body", message: issue.message }));
  const missingAt = result.error.issues.findIndex((issue) => issue.path.length > 0 && valueAt(value, issue.path) === undefined);
  const first = errors[0] ?? { field: "body", message: "invalid" };
  const missing = errors[missingAt];
  throw new AppError({
    code: `${resource}/validation_failed`,
    platformCode: missing ? "parameter_not_provided" : "parameter_invalid",
    status: 400,
    message: missing ? `The ${missing.field} parameter is required.` : `The ${first.field} parameter is invalid: ${first.message}`,
    errors,
  });
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

import { validationError } from "@reelay/contract";
import type { z } from "zod";

/**
 * Parses request input with a route's schema; failures become the platform's 400 parameter errors
 * (`parameter_not_provided` when the failing field is absent, else `parameter_invalid`).
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, resource: string): z.output<T> {
  const value = input ?? {};
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error.issues, value, resource);
  return result.data;
}

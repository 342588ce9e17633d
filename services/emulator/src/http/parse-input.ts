import { validationError } from "@reelay/contract";
import type { z } from "zod";

/** Parses request input with a route's schema; failures become the platform's 400 parameter errors. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, resource: string): z.output<T> {
  // reportInput lets the error tell a missing field (parameter_not_provided) from a wrong one.
  const result = schema.safeParse(input ?? {}, { reportInput: true });
  if (!result.success) throw validationError(result.error.issues, resource);
  return result.data;
}

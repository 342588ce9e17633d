import type { z } from "zod";
import { validationError } from "@reelay/contract";

/** Parses with a zod schema; failures become the platform's 400 with the failing fields. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, resource?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error.issues, input, resource);
  return result.data;
}

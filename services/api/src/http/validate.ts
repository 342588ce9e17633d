import type { z } from "zod";
import { invalidParameter, validationError } from "@reelay/contract";
import { findUnstorableInput } from "./unstorable-input.ts";

/**
 * Parses with a zod schema; failures become the platform's 400 with the failing fields. Every
 * route parses its params, query and body through here, so this is also where text Postgres
 * cannot store (NUL, unpaired surrogates) and absurd nesting are refused, on the parsed value:
 * that covers route params, multipart fields and JSON decoded from inside a form field alike.
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown, resource?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error.issues, input, resource);
  const unstorable = findUnstorableInput(result.data);
  if (unstorable) throw invalidParameter(unstorable.path.map(String).join(".") || "body", unstorable.message, resource);
  return result.data;
}

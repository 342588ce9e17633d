import type { z } from "zod";

/** Parses a service's environment once; a bad value stops start-up with a message naming it. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv, service: string): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(config)"}: ${issue.message}`).join("\n");
  throw new Error(`${service}: invalid configuration\n${problems}`);
}

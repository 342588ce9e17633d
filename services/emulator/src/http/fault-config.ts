import { z } from "zod";

/**
 * Which requests a rule applies to; both parts optional. `path` is relative to `/v1.3` and written
 * like the routes: `:name` matches one segment, a final `*` matches the rest (zero or more segments),
 * e.g. `{ method: "POST", path: "/assets" }` or `{ method: "GET", path: "/knowledge-stores/:id/items/*" }`.
 */
export const FaultMatch = z.strictObject({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional(),
  path: z
    .string()
    .regex(/^\/[^?#]*$/, "must start with / and have no query")
    .refine((path) => !path.includes("*") || (path.endsWith("/*") && path.indexOf("*") === path.length - 1), "* may only be the last segment")
    .optional(),
});
export type FaultMatch = z.output<typeof FaultMatch>;

const Rate = z.number().min(0).max(1);
const Ms = z.int().min(0).max(3_600_000);

/** What every rule has: the requests it aims at, the share of them it hits, and an optional budget. */
const ruleBase = {
  match: FaultMatch.optional(),
  /** Share (0..1) of matching requests hit. Default 1. */
  rate: Rate.default(1),
  /** Fire at most this many times, then stay quiet: `{kind: "too_many_requests", count: 3}` is a burst. */
  count: z.int().min(1).optional(),
};

/** The 5xx statuses a gateway must treat as "retry later", with the platform codes they carry. */
export const FAULT_STATUSES = { 500: "internal_error", 502: "bad_gateway", 503: "service_unavailable", 504: "gateway_timeout" } as const;
export const FaultStatus = z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]);

export const FaultRule = z.discriminatedUnion("kind", [
  /** Answers one of `statuses` (picked at random) instead of running the route. */
  z.strictObject({ kind: z.literal("error_5xx"), ...ruleBase, statuses: z.array(FaultStatus).min(1).default([500, 502, 503]) }),
  /** Answers 429 `too_many_requests` with `Retry-After: retry_after_s` instead of running the route. */
  z.strictObject({ kind: z.literal("too_many_requests"), ...ruleBase, retry_after_s: z.int().min(0).max(3600).default(1) }),
  /**
   * Accepts the request and never answers; with `hold_ms`, resets the connection after that long.
   * The route does not run. The connection is released when the client gives up or the emulator closes.
   */
  z.strictObject({ kind: z.literal("timeout"), ...ruleBase, hold_ms: Ms.min(1).optional() }),
  /** Delays the request before the route runs: `ms` fixed, or `[min, max]` drawn uniformly. Combines with the others. */
  z.strictObject({
    kind: z.literal("latency"),
    ...ruleBase,
    ms: z.union([Ms, z.tuple([Ms, Ms]).refine(([min, max]) => min <= max, "the range must be [min, max]")]),
  }),
  /**
   * Runs the route, so a create really happens, then loses its successful (2xx) answer: `bad_gateway`
   * answers 502 instead, `reset` resets the connection. A 4xx/5xx answer passes untouched.
   */
  z.strictObject({ kind: z.literal("lost_answer"), ...ruleBase, as: z.enum(["bad_gateway", "reset"]).default("bad_gateway") }),
]);
export type FaultRule = z.output<typeof FaultRule>;
export type FaultKind = FaultRule["kind"];
export const FAULT_KINDS = ["error_5xx", "too_many_requests", "timeout", "latency", "lost_answer"] as const satisfies readonly FaultKind[];

/**
 * The emulator's fault plan. Rules are tried in order for every authenticated `/v1.3` request:
 * every `latency` rule that fires adds its delay, then the first other rule that fires decides the
 * outcome. Random draws come from a PRNG seeded with `seed`, so the same seed and the same request
 * sequence give the same faults.
 */
export const FaultConfig = z.strictObject({
  /** PRNG seed (32-bit unsigned). Default: a random one, reported by `GET /admin/faults`. */
  seed: z.int().min(0).max(0xffff_ffff).optional(),
  rules: z.array(FaultRule).max(100).default([]),
});
export type FaultConfig = z.output<typeof FaultConfig>;
export type FaultConfigInput = z.input<typeof FaultConfig>;

/** The `EMULATOR_FAULT_*` variables, already parsed; each non-zero rate becomes one untargeted rule. */
export interface EnvFaults {
  error5xxRate: number;
  error5xxStatuses: Array<keyof typeof FAULT_STATUSES>;
  tooManyRequestsRate: number;
  retryAfterS: number;
  timeoutRate: number;
  timeoutHoldMs: number | undefined;
  latencyMs: readonly [number, number] | undefined;
  lostAnswerRate: number;
  seed: number | undefined;
}

export function faultConfigFromEnv(env: EnvFaults): FaultConfig {
  const rules: FaultRule[] = [];
  if (env.latencyMs) rules.push({ kind: "latency", rate: 1, ms: env.latencyMs[0] === env.latencyMs[1] ? env.latencyMs[0] : [env.latencyMs[0], env.latencyMs[1]] });
  if (env.tooManyRequestsRate > 0) rules.push({ kind: "too_many_requests", rate: env.tooManyRequestsRate, retry_after_s: env.retryAfterS });
  if (env.error5xxRate > 0) rules.push({ kind: "error_5xx", rate: env.error5xxRate, statuses: env.error5xxStatuses });
  if (env.timeoutRate > 0) rules.push({ kind: "timeout", rate: env.timeoutRate, hold_ms: env.timeoutHoldMs });
  // Only creates have an answer worth losing: the object exists, the caller does not know it.
  if (env.lostAnswerRate > 0) rules.push({ kind: "lost_answer", rate: env.lostAnswerRate, as: "bad_gateway", match: { method: "POST" } });
  return { seed: env.seed, rules };
}

import { AppError } from "@reelay/contract";
import type { RequestHandler, Response } from "express";
import { FAULT_STATUSES } from "./fault-config.ts";
import type { FaultInjector, FaultOutcome } from "./fault-injector.ts";
import type { GateStats } from "./gate-stats.ts";
import { listOperations, operationOf } from "./operations.ts";
import type { Operation } from "./operations.ts";

export interface RequestGateDeps {
  faults: FaultInjector;
  stats: GateStats;
  /** The router the gate stands in front of; its routes name the operations counted in the stats. */
  routes: unknown;
}

/**
 * The one place every authenticated /v1.3 request passes before reaching a route, so no route has
 * to know about faults: it counts the request, notes calls made inside a Retry-After window, and
 * injects what the fault plan decides (latency, 5xx, 429, time-outs, lost answers). It is mounted
 * on the API router only, so `/health` and `/admin` are never faulted.
 */
export function requestGate({ faults, stats, routes }: RequestGateDeps): RequestHandler {
  // Every route is mounted before the first request arrives; reading them once is enough.
  let operations: Operation[] | undefined;
  return (req, res, next) => {
    operations ??= listOperations(routes);
    const apiKey = req.get("x-api-key")?.trim() ?? "";
    stats.arrived(operationOf(operations, req.method, req.path), apiKey);
    // Any 429 with Retry-After opens the key's window, whether injected here or answered by a route.
    res.once("finish", () => {
      if (res.statusCode !== 429) return;
      const seconds = Number(res.getHeader("retry-after"));
      if (Number.isInteger(seconds)) stats.retryAfterSent(apiKey, seconds);
    });

    const { delayMs, outcome } = faults.decide(req.method, req.path);
    const proceed = () => {
      if (!outcome) return next();
      switch (outcome.kind) {
        case "error_5xx":
        case "too_many_requests":
          stats.injected(outcome.kind);
          return next(faultError(outcome));
        case "timeout":
          stats.injected("timeout");
          return hold(res, outcome.holdMs);
        case "lost_answer":
          loseAnswer(res, outcome.as, {
            lost: () => stats.injected("lost_answer"),
            kept: () => faults.refund(outcome.rule),
          });
          return next();
      }
    };
    if (delayMs <= 0) return proceed();
    stats.injected("latency");
    const timer = setTimeout(proceed, delayMs);
    // A client that gave up during the delay gets nothing run on its behalf.
    res.once("close", () => clearTimeout(timer));
  };
}

function faultError(outcome: Extract<FaultOutcome, { kind: "error_5xx" | "too_many_requests" }>): AppError {
  if (outcome.kind === "too_many_requests") {
    return new AppError({
      code: "fault/too_many_requests",
      platformCode: "too_many_requests",
      status: 429,
      message: `Too many requests. Retry after ${outcome.retryAfterS} seconds (fault injected by the emulator).`,
      retryAfter: outcome.retryAfterS,
    });
  }
  return new AppError({
    code: "fault/server_error",
    platformCode: FAULT_STATUSES[outcome.status],
    status: outcome.status,
    message: `The server could not handle the request (HTTP ${outcome.status} injected by the emulator).`,
  });
}

/** Never answers; with `holdMs`, resets the connection after that long, as a dead upstream's proxy would. */
function hold(res: Response, holdMs: number | undefined): void {
  if (holdMs === undefined) return;
  const timer = setTimeout(() => res.socket?.resetAndDestroy(), holdMs);
  res.once("close", () => clearTimeout(timer));
}

const ANSWER_METHODS = ["writeHead", "flushHeaders", "write", "end"] as const;
type AnswerMethods = Record<(typeof ANSWER_METHODS)[number], (...args: unknown[]) => unknown>;

/**
 * Lets the route run, then loses its answer if it succeeded (2xx): the object was created, the
 * caller never learns its id. The moment the route commits its answer is the first call to any of
 * `writeHead`, `flushHeaders`, `write` or `end` (Node routes `end` and `write` through `writeHead`
 * only internally, so all four are wrapped). Callbacks passed to a swallowed write are not called;
 * no route passes any.
 */
function loseAnswer(res: Response, as: "bad_gateway" | "reset", on: { lost: () => void; kept: () => void }): void {
  const methods = res as unknown as AnswerMethods;
  const originals = Object.fromEntries(ANSWER_METHODS.map((name) => [name, methods[name]])) as AnswerMethods;
  let lost: boolean | undefined;

  const settle = (status: number): boolean => {
    if (lost !== undefined) return lost;
    Object.assign(methods, originals);
    lost = status >= 200 && status < 300;
    if (!lost) {
      on.kept();
      return false;
    }
    on.lost();
    if (as === "reset") {
      res.socket?.resetAndDestroy();
    } else {
      for (const name of res.getHeaderNames()) if (name !== "x-api-version") res.removeHeader(name);
      res.status(502).json({ code: FAULT_STATUSES[502], message: "The upstream answer was lost (fault injected by the emulator)." });
    }
    // Whatever the route still writes goes nowhere.
    Object.assign(methods, { writeHead: () => res, flushHeaders: () => undefined, write: () => true, end: () => res } satisfies AnswerMethods);
    return true;
  };

  for (const name of ANSWER_METHODS) {
    methods[name] = (...args: unknown[]) => {
      const status = name === "writeHead" && typeof args[0] === "number" ? args[0] : res.statusCode;
      if (settle(status)) return name === "write" ? true : name === "flushHeaders" ? undefined : res;
      return originals[name].apply(res, args);
    };
  }
}

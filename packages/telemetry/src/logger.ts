import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type Logger } from "pino";

/**
 * What every log line says about where it comes from: `request_id` and `tenant` inside an API
 * request, `job_id`, `job_type` and `tenant` inside a job step. Set once where the work starts;
 * every line logged beneath, in any module, carries it (no logger threaded through calls).
 */
export type LogContext = Partial<Record<"request_id" | "tenant" | "job_id" | "job_type", string>>;

export const logContext = new AsyncLocalStorage<LogContext>();

/** Runs `work` with these fields on every line it logs (added to the fields already in force). */
export function withLogContext<T>(fields: LogContext, work: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...fields }, work);
}

/** Adds a field to the context in force (the tenant, once authenticated). */
export function addLogContext(fields: LogContext): void {
  const store = logContext.getStore();
  if (store) Object.assign(store, fields);
}

/**
 * The service's JSON logger (pino, one line per entry on stdout). `LOG_LEVEL` picks the level;
 * `silent` silences it (tests).
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? "info", destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => logContext.getStore() ?? {},
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The `(message, error?)` function the services pass around, writing through `logger`. */
export type LogFn = (message: string, error?: unknown) => void;

export function logFn(logger: Logger): LogFn {
  return (message, error) => {
    if (error === undefined) logger.info(message);
    else logger.error({ err: error }, message);
  };
}

/**
 * Postgres's and Prisma's errors, classified once for the renderer. A database fault reaches it
 * (through Prisma 6 with `@prisma/adapter-pg`, or through pg alone) in one of these shapes:
 *
 * - a `PrismaClient*Error` with a `P…` code (the adapter's error kind mapped by Prisma:
 *   `DatabaseNotReachable` → P1001, `ConnectionClosed` → P1017, …);
 * - a `DriverAdapterError` whose `cause` is `{ kind: "postgres", code }`: SQLSTATEs Prisma has no
 *   code for (57P01 admin_shutdown, 22021 invalid byte sequence, …);
 * - pg's own `Error`, rethrown untouched when it has no SQLSTATE (a connect time-out, "Connection
 *   terminated" when a server goes away mid-query);
 * - pg's `DatabaseError` (a SQLSTATE in `code`, a `severity`) from a row read (`defineRowRead`),
 *   which goes to pg's pool without Prisma;
 * - a `PrismaClientUnknownRequestError` "JSON Error: …" when Prisma's query engine cannot even
 *   read the query it was given (a lone surrogate, JSON nested past its recursion limit of 128).
 */

/**
 * `unavailable`: the database is unreachable, restarting or overloaded; the same request can
 * succeed shortly (503 + Retry-After). `unstorable_input`: the request carried a value Postgres or
 * Prisma refuses (400; `parse` normally stops it first, naming the field).
 */
export type DatabaseFault = "unavailable" | "unstorable_input";

/** Prisma's codes for "the database could not serve this now". */
const unavailablePrismaCodes = new Set([
  "P1001", // can't reach database server
  "P1002", // database server reached but timed out
  "P1008", // operation timed out
  "P1017", // server has closed the connection
  "P2024", // timed out fetching a connection from the pool
  "P2028", // transaction API error: could not start, or closed under us
  "P2037", // too many database connections opened
]);

/** The adapter's error kinds (DriverAdapterError.cause.kind) that mean the same. */
const unavailableAdapterKinds = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TransactionAlreadyClosed"]);

/**
 * SQLSTATEs meaning "the server cannot serve this now": class 08 (connection exception), class 53
 * (insufficient resources), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now
 * (still starting up), 57P05 idle session time-out.
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith("08") || code.startsWith("53") || ["57P01", "57P02", "57P03", "57P05"].includes(code);
}

/** 22021 invalid byte sequence (NUL in text), 22P05 untranslatable character (`\u0000` in jsonb). */
const unstorableSqlStates = new Set(["22021", "22P05"]);

/** P2020 / ValueOutOfRange: a number past its column's type (an INT4 compared with 2^31). */
const OUT_OF_RANGE_PRISMA_CODE = "P2020";

/** Prisma's query engine failing to parse its own query JSON: the input was the cause. */
const queryJsonError = /JSON Error: (unexpected end of hex escape|lone leading surrogate|invalid unicode code point|recursion limit exceeded)/;

/** pg's errors without a SQLSTATE that mean the connection is gone or could not be made. */
const pgConnectionMessages = [
  /^Connection terminated/, // "… unexpectedly", "… due to connection timeout"
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
];

const socketErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  severity?: unknown;
  errorCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
  kind?: unknown;
  originalCode?: unknown;
}

function classifyOne(error: ErrorLike): DatabaseFault | undefined {
  const name = typeof error.name === "string" ? error.name : "";
  if (name.startsWith("PrismaClient")) {
    // PrismaClientInitializationError carries its code as `errorCode`.
    const code = typeof error.code === "string" ? error.code : typeof error.errorCode === "string" ? error.errorCode : undefined;
    if (code && unavailablePrismaCodes.has(code)) return "unavailable";
    if (code === OUT_OF_RANGE_PRISMA_CODE) return "unstorable_input";
    if (name === "PrismaClientUnknownRequestError" && typeof error.message === "string" && queryJsonError.test(error.message)) return "unstorable_input";
  }
  // A DriverAdapterError's cause, or the cause object on its own.
  if (typeof error.kind === "string") {
    if (unavailableAdapterKinds.has(error.kind)) return "unavailable";
    if (error.kind === "ValueOutOfRange") return "unstorable_input";
    const sqlState = typeof error.originalCode === "string" ? error.originalCode : typeof error.code === "string" ? error.code : undefined;
    if (error.kind === "postgres" && sqlState) {
      if (isUnavailableSqlState(sqlState)) return "unavailable";
      if (unstorableSqlStates.has(sqlState)) return "unstorable_input";
    }
  }
  // pg's DatabaseError: Postgres's own error message, unwrapped.
  if (typeof error.severity === "string" && typeof error.code === "string") {
    if (isUnavailableSqlState(error.code)) return "unavailable";
    if (unstorableSqlStates.has(error.code)) return "unstorable_input";
  }
  if (typeof error.message === "string" && pgConnectionMessages.some((pattern) => pattern.test(error.message as string))) return "unavailable";
  if (typeof error.code === "string" && socketErrorCodes.has(error.code) && "syscall" in error) return "unavailable";
  return undefined;
}

/** Classifies an error thrown while serving a request, following its causes; undefined when it is no database fault. */
export function classifyDatabaseError(error: unknown): DatabaseFault | undefined {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const next = pending.shift();
    if (next === null || typeof next !== "object" || seen.has(next)) continue;
    seen.add(next);
    const candidate = next as ErrorLike;
    const fault = classifyOne(candidate);
    if (fault) return fault;
    pending.push(candidate.cause, candidate.meta?.driverAdapterError);
  }
  return undefined;
}

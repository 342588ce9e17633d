/**
 * One error type for every layer. `code` is Reelay's namespaced code (`knowledge_store/not_found`);
 * `platformCode` is the value the platform itself puts in its `code` field, so clients written
 * against the platform keep working.
 */
export interface FieldError {
  /** Dotted path of the failing field, e.g. `input.0.content`. */
  field: string;
  message: string;
}

export interface AppErrorOptions {
  code: string;
  platformCode: string;
  status: number;
  message: string;
  /** Public detail; when absent the message is public. */
  detail?: string;
  retryable?: boolean;
  errors?: FieldError[];
  /** Seconds a client should wait before retrying (sent as Retry-After). */
  retryAfter?: number;
}

export class AppError extends Error {
  readonly code: string;
  readonly platformCode: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly retryable: boolean;
  readonly errors: FieldError[] | undefined;
  readonly retryAfter: number | undefined;

  constructor(options: AppErrorOptions) {
    super(options.message);
    this.name = "AppError";
    this.code = options.code;
    this.platformCode = options.platformCode;
    this.status = options.status;
    this.detail = options.detail;
    this.retryable = options.retryable ?? options.status >= 500;
    this.errors = options.errors;
    this.retryAfter = options.retryAfter;
  }
}

export function notFound(resource: string, id: string, collection = `${resource}s`): AppError {
  return new AppError({
    code: `${resource}/not_found`,
    platformCode: "resource_not_exist",
    status: 404,
    message: `Resource with id ${id} does not exist in ${collection}.`,
  });
}

export function invalidParameter(field: string, message: string, resource = "request"): AppError {
  return new AppError({
    code: `${resource}/invalid_parameter`,
    platformCode: "parameter_invalid",
    status: 400,
    message: `The ${field} parameter is invalid: ${message}`,
    errors: [{ field, message }],
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

/**
 * Maps zod issues to the platform's parameter codes: when the first failing field is absent
 * from `input` the code is `parameter_not_provided`, otherwise `parameter_invalid`.
 */
export function validationError(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  input: unknown,
  resource = "request",
): AppError {
  const errors = issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "body",
    message: issue.message,
  }));
  // The first issue decides, so the code and the message speak of the same field.
  const missingAt = issues[0] && issues[0].path.length > 0 && valueAt(input, issues[0].path) === undefined ? 0 : -1;
  const first = errors[0] ?? { field: "body", message: "invalid" };
  return new AppError({
    code: `${resource}/validation_failed`,
    platformCode: missingAt >= 0 ? "parameter_not_provided" : "parameter_invalid",
    status: 400,
    message: missingAt >= 0 ? `The ${errors[missingAt]?.field} parameter is required.` : `The ${first.field} parameter is invalid: ${first.message}`,
    errors,
  });
}

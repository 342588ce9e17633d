/**
 * The SDK hands back camelCase objects with Date fields; Reelay stores and serves the platform's
 * snake_case wire form. This inverts the SDK's mapping for plain data.
 */
export function toWireCase(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toWireCase);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([key, v]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), toWireCase(v)]),
    );
  }
  return value;
}

/** The reverse, for request bodies stored in wire form and sent through the SDK. */
export function toSdkCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSdkCase);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), toSdkCase(v)]));
  }
  return value;
}

/**
 * A small, independent JSON Schema validator for the subset structured output supports (type,
 * properties, required, additionalProperties, items, enum, minItems/maxItems, minimum/maximum),
 * so tests check produced JSON without trusting the code that produced it. Every object property
 * counts as required, as the platform forces. Returns the violations, empty when valid.
 */
export function validateJsonSubset(value: unknown, schema: Record<string, unknown>, path = "$"): string[] {
  const problems: string[] = [];
  const type = schema["type"];
  if (Array.isArray(schema["enum"]) && !schema["enum"].some((allowed) => allowed === value)) problems.push(`${path}: ${JSON.stringify(value)} is not in the enum`);
  switch (type) {
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [...problems, `${path}: expected an object`];
      const properties = (schema["properties"] ?? {}) as Record<string, Record<string, unknown>>;
      for (const key of Object.keys(value)) if (!(key in properties)) problems.push(`${path}: unexpected property ${key}`);
      for (const [key, child] of Object.entries(properties)) {
        if (!(key in value)) problems.push(`${path}: missing property ${key}`);
        else problems.push(...validateJsonSubset((value as Record<string, unknown>)[key], child, `${path}.${key}`));
      }
      break;
    }
    case "array": {
      if (!Array.isArray(value)) return [...problems, `${path}: expected an array`];
      if (typeof schema["minItems"] === "number" && value.length < schema["minItems"]) problems.push(`${path}: fewer than ${schema["minItems"]} items`);
      if (typeof schema["maxItems"] === "number" && value.length > schema["maxItems"]) problems.push(`${path}: more than ${schema["maxItems"]} items`);
      const items = schema["items"] as Record<string, unknown> | undefined;
      if (items) value.forEach((entry, i) => problems.push(...validateJsonSubset(entry, items, `${path}[${i}]`)));
      break;
    }
    case "number":
    case "integer": {
      if (typeof value !== "number" || !Number.isFinite(value)) return [...problems, `${path}: expected a number`];
      if (type === "integer" && !Number.isInteger(value)) problems.push(`${path}: expected an integer`);
      if (typeof schema["minimum"] === "number" && value < schema["minimum"]) problems.push(`${path}: below the minimum`);
      if (typeof schema["maximum"] === "number" && value > schema["maximum"]) problems.push(`${path}: above the maximum`);
      break;
    }
    case "string":
      if (typeof value !== "string") problems.push(`${path}: expected a string`);
      break;
    case "boolean":
      if (typeof value !== "boolean") problems.push(`${path}: expected a boolean`);
      break;
  }
  return problems;
}

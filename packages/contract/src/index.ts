export * from "./ids.ts";
export * from "./errors.ts";
export * from "./wire.ts";
export * from "./parse-env.ts";
export * from "./media-types.ts";
export * from "./enrichment-schema.ts";

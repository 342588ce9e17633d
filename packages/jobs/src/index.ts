export * from "./catalog.ts";
export * from "./poll-schedule.ts";
export * from "./queue.ts";
export * from "./response-events.ts";
export * from "./webhook-queue.ts";
export * from "./wake-requests.ts";

export { createEmulatorApp } from "./app.ts";
export type { EmulatorApp } from "./app.ts";
export { EmulatorConfig, EmulatorEnv, parseEmulatorConfig } from "./config.ts";
export { startEmulator } from "./start-emulator.ts";
export type { RunningEmulator } from "./start-emulator.ts";

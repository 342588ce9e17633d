import { parseEmulatorConfig } from "./config.ts";
import { startEmulator } from "./start-emulator.ts";

const config = parseEmulatorConfig(process.env);
const emulator = await startEmulator(config);
console.log(`[emulator] TwelveLabs v1.3 emulator listening on ${emulator.url}`);

let closing = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    console.log(`[emulator] ${signal} received, closing`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("[emulator] close failed", error);
        process.exit(1);
      },
    );
  });
}

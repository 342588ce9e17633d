import { parseEnv } from "@reelay/contract";
import { EmulatorConfig } from "./config.ts";
import { startEmulator } from "./start-emulator.ts";

// parseEnv names each bad variable in one readable message instead of a ZodError dump.
const config = parseEnv(EmulatorConfig, process.env, "emulator");
const emulator = await startEmulator(config);
console.log(`[emulator] TwelveLabs v1.3 emulator listening on ${emulator.url}`);
const faults = emulator.faults.get();
// The seed is what makes a faulty run replayable; print it even when it was drawn at random.
if (faults.rules.length > 0) console.log(`[emulator] injecting faults (EMULATOR_FAULT_SEED=${faults.seed}): ${JSON.stringify(faults.rules)}`);

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

import type { Background } from "./background.ts";
import type { EmulatorConfig } from "./config.ts";
import type { EmulatorState } from "./state/emulator-state.ts";

/** What every domain operation of one emulator instance works with. */
export interface EmulatorContext {
  config: EmulatorConfig;
  state: EmulatorState;
  background: Background;
  /** Private temp directory of this instance (uploads, downloads); removed on close. */
  workDir: string;
}

import type { Background } from "./background.ts";
import type { ConcurrencyLimit } from "./concurrency-limit.ts";
import type { EmulatorConfig } from "./config.ts";
import type { EmulatorState } from "./state/emulator-state.ts";

/** What every domain operation of one emulator instance works with. */
export interface EmulatorContext {
  config: EmulatorConfig;
  state: EmulatorState;
  background: Background;
  /** Private temp directory of this instance (uploads, downloads); removed on close. */
  workDir: string;
  /** Caps on `method=url` downloads and on ffmpeg/ffprobe processes running at once. */
  limits: { downloads: ConcurrencyLimit; media: ConcurrencyLimit };
}

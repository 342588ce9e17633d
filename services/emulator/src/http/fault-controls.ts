import type { ConcurrencyLimit, ConcurrencyLimitSnapshot } from "../concurrency-limit.ts";
import { FaultConfig } from "./fault-config.ts";
import type { FaultConfigInput } from "./fault-config.ts";
import type { ActiveFaultConfig, FaultInjector } from "./fault-injector.ts";
import type { GateStats, GateStatsSnapshot } from "./gate-stats.ts";

/** `GET /admin/stats`: the gate's counters and how busy the download and ffmpeg limits are. */
export interface EmulatorStats extends GateStatsSnapshot {
  concurrency: { downloads: ConcurrencyLimitSnapshot; media: ConcurrencyLimitSnapshot };
}

/** The fault plan and the counters of one emulator; `/admin` over HTTP, `RunningEmulator.faults` in-process. */
export interface FaultControls {
  /** The plan in force, with the seed in use. */
  get(): ActiveFaultConfig;
  /** Replaces the plan, restarting the PRNG and every rule's `count`; throws a ZodError on bad input. */
  set(config: FaultConfigInput): ActiveFaultConfig;
  /** No faults from now on. */
  clear(): void;
  stats(): EmulatorStats;
  /** Zeroes the counters and forgets the Retry-After windows handed out so far. */
  resetStats(): void;
}

export function createFaultControls(deps: {
  faults: FaultInjector;
  stats: GateStats;
  limits: { downloads: ConcurrencyLimit; media: ConcurrencyLimit };
}): FaultControls {
  const { faults, stats, limits } = deps;
  return {
    get: () => faults.current(),
    set: (config) => {
      faults.set(FaultConfig.parse(config));
      return faults.current();
    },
    clear: () => faults.clear(),
    stats: () => ({
      ...stats.snapshot(),
      concurrency: { downloads: limits.downloads.snapshot(), media: limits.media.snapshot() },
    }),
    resetStats: () => stats.reset(),
  };
}

/** Flags of `npm run bench` that size the benchmarks (see the top of bench/run.ts). */
export interface BenchOptions {
  /** Smaller sizes, for a first look or a busy machine. */
  quick: boolean;
  /** The sizes the issue states its goals for (1 GB upload, 10 000 items in flight). */
  full: boolean;
  /** Items in flight (p1, p3). */
  items?: number;
  /** Upload size in MB of 10^6 bytes (p5). */
  sizeMb?: number;
  /** Seconds per load run (p2). */
  durationS?: number;
  /** Sequential questions each way (p6). */
  asks?: number;
  /** The emulator's time per item stage, ms (p1, p3). */
  stageMs?: number;
}

/** An explicit flag wins; otherwise the size for --quick or --full, otherwise the normal one. */
export function sized(explicit: number | undefined, options: BenchOptions, sizes: { quick: number; normal: number; full?: number }): number {
  if (explicit !== undefined) return explicit;
  if (options.quick) return sizes.quick;
  if (options.full && sizes.full !== undefined) return sizes.full;
  return sizes.normal;
}

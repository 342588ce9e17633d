/** How long to wait before polling the platform again. */
export interface PollSchedule {
  /** First delay, ms. Default 1000. */
  initialMs: number;
  /** Growth per poll. Default 1.6. */
  factor: number;
  /** Cap, ms. Default 30000. */
  maxMs: number;
  /** Random spread as a fraction of the delay (0-1), so many polls do not align. Default 0.2. */
  jitter: number;
}

export const defaultPollSchedule: PollSchedule = { initialMs: 1_000, factor: 1.6, maxMs: 30_000, jitter: 0.2 };

export function nextPollDelay(polls: number, schedule: PollSchedule = defaultPollSchedule, random = Math.random): number {
  const base = Math.min(schedule.maxMs, schedule.initialMs * schedule.factor ** Math.max(0, polls));
  const spread = base * schedule.jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}

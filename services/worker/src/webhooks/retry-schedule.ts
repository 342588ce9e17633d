const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The published retry schedule (Standard Webhooks' example schedule): the first attempt is
 * immediate, then these delays after each failed attempt, each spread ±20 %. Ten attempts over
 * about 75 hours; after the last failure the delivery is `failed` (a retry or recover resends it).
 */
export const DEFAULT_RETRY_SCHEDULE_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR];

/** Delay before the next attempt after `attemptsMade` failed ones, or undefined when they are spent. */
export function nextAttemptDelay(attemptsMade: number, schedule: readonly number[], random = Math.random): number | undefined {
  const base = schedule[attemptsMade - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (0.8 + random() * 0.4));
}

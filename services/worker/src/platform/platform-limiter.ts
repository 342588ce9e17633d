import type { Redis } from "ioredis";
import { PlatformError } from "./platform-error.ts";

/**
 * One gate in front of every platform call, shared by all worker processes through Redis:
 * - after a 429, nobody calls until its Retry-After has passed (not just the job that got it);
 * - an optional budget of calls per second for the platform account (a token bucket).
 * A call refused here is a PlatformError `rate_limited` carrying how long to wait: the job is
 * re-scheduled and no request is sent. One round trip per call.
 */
export interface PlatformLimiter {
  /** Resolves when a call may go out; throws `rate_limited` with the wait otherwise. */
  acquire(operation: string): Promise<void>;
  /** Nobody calls for `ms` (a 429's Retry-After); extends, never shortens, a pause. */
  pause(ms: number): Promise<void>;
}

// KEYS[1] pause-until (ms epoch), KEYS[2] bucket; ARGV: now, rate per second (0 = no budget), burst.
// Answers 0 when the call may go, otherwise the ms to wait.
const ACQUIRE = `
local now = tonumber(ARGV[1])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if paused > now then return paused - now end
local rate = tonumber(ARGV[2])
if rate <= 0 then return 0 end
local burst = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[2], 'tokens', 'at')
local tokens = tonumber(state[1] or burst)
local at = tonumber(state[2] or now)
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
if tokens < 1 then
  redis.call('HSET', KEYS[2], 'tokens', tokens, 'at', now)
  return math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[2], 'tokens', tokens - 1, 'at', now)
redis.call('PEXPIRE', KEYS[2], 60000)
return 0`;

// KEYS[1] pause-until; ARGV: until (ms epoch), ttl ms.
const PAUSE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 0`;

export function createPlatformLimiter(redis: Redis, options: { prefix: string; callsPerSecond?: number; burst?: number }): PlatformLimiter {
  const pauseKey = `${options.prefix}:platform:paused-until`;
  const bucketKey = `${options.prefix}:platform:bucket`;
  const rate = options.callsPerSecond ?? 0;
  const burst = options.burst ?? Math.max(1, Math.ceil(rate));
  return {
    async acquire(operation) {
      const waitMs = Number(await redis.eval(ACQUIRE, 2, pauseKey, bucketKey, Date.now(), rate, burst));
      if (waitMs > 0) {
        throw new PlatformError(`${operation}: held back by Reelay's platform rate limit`, { status: 429, code: "rate_limited", kind: "rate_limited", retryAfterMs: waitMs });
      }
    },
    async pause(ms) {
      if (!(ms > 0)) return;
      await redis.eval(PAUSE, 1, pauseKey, Date.now() + ms, Math.ceil(ms) + 1_000);
    },
  };
}

/** No limits at all (tests of the client alone). */
export const unlimited: PlatformLimiter = { acquire: async () => {}, pause: async () => {} };

import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import { AppError } from "@reelay/contract";
import { tenantOf } from "./auth.ts";

// KEYS[1] the tenant's bucket; ARGV: now (ms), rate per second, burst. 0 = go; otherwise ms to wait.
const TAKE = `
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1] or burst)
local at = tonumber(state[2] or now)
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
if tokens < 1 then
  redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
  return math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tokens - 1, 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return 0`;

/**
 * A request budget per tenant, shared by every API process through Redis (a token bucket):
 * `perSecond` on average, `burst` at once. Over it, the platform's 429 with Retry-After. If Redis
 * cannot answer, requests are let through: the limit protects, it must not take the API down.
 */
export function tenantRateLimit(deps: { redis: Redis; prefix: string; perSecond: number; burst: number; log: (message: string, error?: unknown) => void }): RequestHandler {
  let lastFailure = 0;
  return async (_req, res, next) => {
    let waitMs = 0;
    try {
      waitMs = Number(await deps.redis.eval(TAKE, 1, `${deps.prefix}:rate:${tenantOf(res)}`, Date.now(), deps.perSecond, deps.burst));
    } catch (error) {
      if (Date.now() - lastFailure > 60_000) deps.log("tenant rate limit unavailable (Redis); letting requests through", error);
      lastFailure = Date.now();
    }
    if (waitMs <= 0) return next();
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new AppError({
      code: "request/rate_limited",
      platformCode: "too_many_requests",
      status: 429,
      message: `This API key's tenant is over its ${deps.perSecond} requests per second; retry after ${seconds} s.`,
      retryAfter: seconds,
    });
  };
}

import type { Db } from "@reelay/db";
import type { EventHub } from "@reelay/domain";
import { hashApiKey, tenantForKeyHash } from "./api-keys.ts";

export interface ApiKeyCacheOptions {
  /** How long a known key is trusted without asking Postgres again, ms. Default 30000. */
  ttlMs?: number;
  /** How long an unknown key is remembered as unknown (a guessing client costs no queries), ms. Default 2000. */
  negativeTtlMs?: number;
  /** Keys kept at most; the oldest go first. Default 10000. */
  maxEntries?: number;
}

/**
 * The tenant of an API key without a database round trip on the hot path: a short-lived
 * in-process cache keyed by the key's hash. A revocation NOTIFYs every API process (through the
 * event hub), which drop the key at once; the TTL bounds the damage of a missed notification, and
 * a hub reconnect drops everything.
 */
export function createApiKeyCache(db: Db, hub: EventHub | undefined, options: ApiKeyCacheOptions = {}) {
  const ttlMs = options.ttlMs ?? 30_000;
  const negativeTtlMs = options.negativeTtlMs ?? 2_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { tenantId: string | null; expires: number }>();
  hub?.onKeyRevoked((hash) => (hash === undefined ? entries.clear() : entries.delete(hash)));

  return {
    async tenantOf(plaintext: string): Promise<{ tenantId: string } | null> {
      const hash = hashApiKey(plaintext);
      const now = Date.now();
      const hit = entries.get(hash);
      if (hit && hit.expires > now) return hit.tenantId ? { tenantId: hit.tenantId } : null;
      const found = await tenantForKeyHash(db, hash);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(hash, { tenantId: found?.tenantId ?? null, expires: now + (found ? ttlMs : negativeTtlMs) });
      return found;
    },
  };
}
export type ApiKeyCache = ReturnType<typeof createApiKeyCache>;

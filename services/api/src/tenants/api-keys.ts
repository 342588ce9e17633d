import { createHash, randomBytes } from "node:crypto";
import { newId } from "@reelay/contract";
import type { Db, PrismaClient } from "@reelay/db";
import { API_KEYS_CHANNEL } from "@reelay/domain";

const KEY_PREFIX = "rly_";

export function hashApiKey(plaintext: string): string {
  return createHash("sha256").update(plaintext).digest("hex");
}

/**
 * Creates the tenant if it does not exist, then a new key for it. Keys are high-entropy random
 * strings, so a plain SHA-256 is a sufficient one-way hash; the plaintext is returned once.
 */
export async function createApiKey(prisma: PrismaClient, tenantName: string): Promise<{ tenantId: string; keyId: string; apiKey: string }> {
  const apiKey = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return prisma.$transaction(async (tx) => {
    const tenant = await tx.tenant.upsert({
      where: { name: tenantName },
      create: { id: newId("tenant"), name: tenantName },
      update: {},
    });
    const key = await tx.apiKey.create({
      data: { id: newId("apiKey"), tenantId: tenant.id, prefix: apiKey.slice(0, KEY_PREFIX.length + 6), hash: hashApiKey(apiKey) },
    });
    return { tenantId: tenant.id, keyId: key.id, apiKey };
  });
}

/** The tenant a key belongs to, or null for an unknown or revoked key. */
export async function tenantForApiKey(db: Db, plaintext: string): Promise<{ tenantId: string } | null> {
  return tenantForKeyHash(db, hashApiKey(plaintext));
}

export async function tenantForKeyHash(db: Db, hash: string): Promise<{ tenantId: string } | null> {
  const key = await db.apiKey.findUnique({ where: { hash }, select: { tenantId: true, revokedAt: true } });
  if (!key || key.revokedAt) return null;
  return { tenantId: key.tenantId };
}

/**
 * Revokes a key (by its id or its printed prefix) and announces it, so every API process drops it
 * from its cache at once. Answers how many keys were revoked.
 */
export async function revokeApiKey(prisma: PrismaClient, which: { keyId?: string; prefix?: string }): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const keys = await tx.apiKey.findMany({ where: { revokedAt: null, ...(which.keyId ? { id: which.keyId } : {}), ...(which.prefix ? { prefix: which.prefix } : {}) }, select: { id: true, hash: true } });
    if (keys.length === 0 || (!which.keyId && !which.prefix)) return 0;
    await tx.apiKey.updateMany({ where: { id: { in: keys.map((key) => key.id) } }, data: { revokedAt: new Date() } });
    // Delivered at commit, to every process listening.
    for (const key of keys) await tx.$executeRaw`SELECT pg_notify(${API_KEYS_CHANNEL}, ${key.hash})`;
    return keys.length;
  });
}

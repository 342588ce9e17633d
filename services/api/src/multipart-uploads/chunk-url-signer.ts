import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** What a chunk URL's query proves: who may PUT which chunk until when. */
export interface ChunkGrant {
  uploadId: string;
  chunkIndex: number;
  /** Unix seconds after which the URL is refused. */
  expires: number;
}

export type GrantCheck = "valid" | "expired" | "invalid";

export interface ChunkUrlSigner {
  /** The `sig` of a grant: base64url HMAC-SHA256. */
  sign: (grant: ChunkGrant) => string;
  /** Whether `sig` was made for this exact grant by this secret, and whether it is still in time. */
  check: (grant: ChunkGrant, sig: string, now?: number) => GrantCheck;
}

/**
 * Chunk URLs are Reelay's presigned URLs: the grant (upload, chunk, expiry) travels in the URL and
 * an HMAC with a server secret proves Reelay issued it, so PUTs need no API key and no state is
 * kept per URL. A URL may be used again until it expires, as S3's can: a client retrying a PUT
 * whose answer was lost (the SDK helper retries with the same URL) must not be refused. A chunk
 * can change until it is reported; after that, PUTs to it are refused whatever the URL.
 */
export function createChunkUrlSigner(secret: string | Buffer = randomBytes(32)): ChunkUrlSigner {
  // Versioned and newline-separated, so no two grants (and no other use of the secret) sign alike.
  const mac = (grant: ChunkGrant) => createHmac("sha256", secret).update(`reelay-chunk-v1\n${grant.uploadId}\n${grant.chunkIndex}\n${grant.expires}`).digest();
  return {
    sign: (grant) => mac(grant).toString("base64url"),
    check: (grant, sig, now = Date.now()) => {
      const given = Buffer.from(sig, "base64url");
      const expected = mac(grant);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
      return now >= grant.expires * 1000 ? "expired" : "valid";
    },
  };
}

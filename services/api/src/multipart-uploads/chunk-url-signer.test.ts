import { describe, expect, it } from "vitest";
import { createChunkUrlSigner } from "./chunk-url-signer.ts";

const grant = { uploadId: "0123456789abcdef01234567", chunkIndex: 3, expires: 2_000_000_000 };
const before = (grantExpires: number) => grantExpires * 1000 - 1;

describe("createChunkUrlSigner", () => {
  const signer = createChunkUrlSigner("a-secret-long-enough-for-the-tests-000");

  it("accepts its own signature until the grant's expiry, then says expired", () => {
    const sig = signer.sign(grant);
    expect(sig).toMatch(/^[\w-]{43}$/);
    expect(signer.check(grant, sig, before(grant.expires))).toBe("valid");
    expect(signer.check(grant, sig, grant.expires * 1000)).toBe("expired");
  });

  it("refuses a signature for any other upload, chunk or expiry, a truncated or garbled one, and another secret's", () => {
    const sig = signer.sign(grant);
    const now = before(grant.expires);
    expect(signer.check({ ...grant, uploadId: "0123456789abcdef01234568" }, sig, now)).toBe("invalid");
    expect(signer.check({ ...grant, chunkIndex: 4 }, sig, now)).toBe("invalid");
    expect(signer.check({ ...grant, expires: grant.expires + 1 }, sig, now)).toBe("invalid");
    expect(signer.check(grant, sig.slice(0, -1), now)).toBe("invalid");
    expect(signer.check(grant, "!!not base64!!", now)).toBe("invalid");
    expect(signer.check(grant, "", now)).toBe("invalid");
    expect(createChunkUrlSigner("another-secret-long-enough-for-tests-1").check(grant, sig, now)).toBe("invalid");
  });

  it("without a secret, signs with a random one: another process's URLs are refused", () => {
    expect(createChunkUrlSigner().check(grant, createChunkUrlSigner().sign(grant), before(grant.expires))).toBe("invalid");
  });
});

import type { Request } from "express";

/**
 * The scheme and host the client used to reach this emulator, e.g. `http://127.0.0.1:41234`.
 * URLs the emulator hands out (presigned chunk URLs, thumbnails, HLS manifests) are built from it,
 * so they work from wherever the client is, without configuring a public URL.
 */
export function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get("host") ?? "127.0.0.1"}`;
}

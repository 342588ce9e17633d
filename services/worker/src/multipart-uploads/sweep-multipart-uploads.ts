import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "@reelay/db";
import { endMultipartUpload, multipartChunkDir } from "@reelay/domain";

/** Sessions ended per pass; the next pass takes the rest. */
const BATCH = 500;

/**
 * Ends multipart sessions that can no longer complete — past their 24 hours (`expired`), or whose
 * asset was deleted (`failed`) — failing their processing asset with them, then deletes chunk
 * directories nothing will join: those of ended sessions, of completed ones whose asset no longer
 * needs them (joined, failed or deleted), and of no session at all once older than `minAgeMs`.
 * The API ends sessions it is asked about the same way; this catches the ones nobody asks about.
 */
export async function sweepMultipartUploads(deps: { prisma: PrismaClient; blobDir: string; log: (message: string) => void }, minAgeMs = 60 * 60_000): Promise<number> {
  const now = new Date();
  const overdue = await deps.prisma.multipartUpload.findMany({
    where: { status: "active", OR: [{ expiresAt: { lte: now } }, { asset: { deletedAt: { not: null } } }] },
    select: { id: true, expiresAt: true },
    take: BATCH,
  });
  for (const upload of overdue) {
    const expired = upload.expiresAt <= now;
    await deps.prisma.$transaction((tx) =>
      endMultipartUpload(
        tx,
        upload.id,
        expired ? "expired" : "failed",
        expired ? "the multipart upload expired before every chunk was reported" : "the asset was deleted before every chunk was reported",
      ),
    );
  }

  const root = path.dirname(multipartChunkDir(deps.blobDir, "x"));
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return overdue.length; // no multipart upload yet
  }
  const sessions = new Map(
    (await deps.prisma.multipartUpload.findMany({ where: { id: { in: names } }, select: { id: true, status: true, asset: { select: { status: true, blobKey: true, deletedAt: true } } } })).map((u) => [u.id, u]),
  );
  let removed = 0;
  for (const name of names) {
    const session = sessions.get(name);
    const unneeded = session
      ? session.status === "expired" || session.status === "failed" || (session.status === "completed" && (session.asset.blobKey !== null || session.asset.status !== "processing" || session.asset.deletedAt !== null))
      : Date.now() - ((await stat(path.join(root, name)).catch(() => undefined))?.mtimeMs ?? Date.now()) > minAgeMs;
    if (!unneeded) continue;
    await rm(path.join(root, name), { recursive: true, force: true });
    removed++;
  }
  if (overdue.length || removed) deps.log(`multipart sweep: ended ${overdue.length} session(s), removed the chunks of ${removed}`);
  return overdue.length + removed;
}

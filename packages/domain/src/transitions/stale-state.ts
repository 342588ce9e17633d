import { Prisma } from "@reelay/db";

/**
 * A change was refused because the row is no longer in a state it may change from: it reached a
 * terminal status (cancelled, say) while the caller was working. The caller's transaction rolls
 * back, so nothing of the stale change is written; the caller stops.
 */
export class StaleStateError extends Error {
  constructor(readonly resource: string, readonly id: string) {
    super(`${resource} ${id} is no longer in a state this change applies to`);
    this.name = "StaleStateError";
  }
}

/** Runs a conditional update; "no row matched the condition" becomes a StaleStateError. */
export async function conditionally<T>(resource: string, id: string, update: () => Promise<T>): Promise<T> {
  try {
    return await update();
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") throw new StaleStateError(resource, id);
    throw error;
  }
}

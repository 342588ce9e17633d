import type { Queue } from "bullmq";
import type { PrismaClient } from "@reelay/db";
import type { PrivateTargets } from "@reelay/net";

export interface WebhookDeps {
  prisma: PrismaClient;
  /** The webhook delivery queue (retries and recoveries are sent from here). */
  webhookQueue: Queue;
  /** Which non-public receivers may be registered (checked again at delivery time). */
  privateTargets: PrivateTargets;
  log: (message: string, error?: unknown) => void;
}

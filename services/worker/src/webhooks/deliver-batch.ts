import { DelayedError, UnrecoverableError, type Job as BullJob } from "bullmq";
import { newId } from "@reelay/contract";
import type { PrismaClient } from "@reelay/db";
import { disableWebhookEndpoint, StaleStateError } from "@reelay/domain";
import { DeliveryBatch } from "@reelay/jobs";
import type { PostResult, PostWebhook } from "./post-webhook.ts";
import { nextAttemptDelay } from "./retry-schedule.ts";
import { signatureHeader } from "./sign-payload.ts";
import type { Metrics } from "@reelay/telemetry";

export interface DeliveryDeps {
  prisma: PrismaClient;
  post: PostWebhook;
  /** Delays after each failed attempt (see retry-schedule.ts). */
  retryScheduleMs: readonly number[];
  log: (message: string, error?: unknown) => void;
  /** Requests in flight to one endpoint from one batch. Default 16. */
  concurrency?: number;
  /** How long a claim lasts before another sender may take the delivery over. Default 60 s. */
  leaseMs?: number;
  /** An endpoint failing this long without a success is disabled. Default 5 days. */
  disableAfterMs?: number;
  /** Counts attempts and observes the lag from state change to delivery. */
  metrics?: Metrics;
}

/** A claimed delivery with what sending it needs (event and endpoint come along in the claim). */
interface Claimed {
  id: string;
  event_id: string;
  event_type: string;
  sequence: number;
  attempts: number;
  data: unknown;
  event_created_at: Date;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
}

interface Outcome {
  delivery: Claimed;
  result?: PostResult;
  attemptedAt: Date;
}

/** Consecutive failures within one pass that stop the pass (a dead receiver costs a few time-outs, not a batch). */
const BREAKER = 3;
const iso = (date: Date) => date.toISOString();

/**
 * Delivers a batch of one endpoint's deliveries. Each pass claims what is due (with a lease, so a
 * crashed sender's claims lapse), at most the lowest pending sequence per resource (so one
 * resource's events reach the endpoint in order), sends them concurrently, and records every
 * attempt. The batch then re-schedules itself for its next due delivery, or completes when none
 * is pending. One endpoint's batches never wait on another's: each is its own job.
 */
export function createDeliveryProcessor(deps: DeliveryDeps) {
  const concurrency = deps.concurrency ?? 16;
  const leaseMs = deps.leaseMs ?? 60_000;
  const disableAfterMs = deps.disableAfterMs ?? 5 * 24 * 3600 * 1000;

  async function claim(endpointId: string, ids: string[], now: Date): Promise<Claimed[]> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    return deps.prisma.$queryRaw<Claimed[]>`
      WITH ep AS (
        SELECT "id", "url", "secret", "previous_secret", "previous_secret_expires_at", "failing_since" FROM "webhook_endpoints"
        WHERE "id" = ${endpointId} AND "enabled" AND ("paused_until" IS NULL OR "paused_until" <= ${iso(now)}::timestamp(3))
      ), due AS (
        SELECT d."id" FROM "webhook_deliveries" d JOIN ep ON ep."id" = d."endpoint_id"
        WHERE d."id" = ANY(${ids}::text[])
          AND (d."status" = 'pending' OR (d."status" = 'sending' AND d."lease_until" < ${iso(now)}::timestamp(3)))
          AND d."next_attempt_at" <= ${iso(now)}::timestamp(3)
          AND NOT EXISTS (
            SELECT 1 FROM "webhook_deliveries" p
            WHERE p."endpoint_id" = d."endpoint_id" AND p."resource_id" = d."resource_id" AND p."sequence" < d."sequence"
              AND p."status" IN ('pending', 'sending'))
          AND NOT EXISTS (
            SELECT 1 FROM "events" e WHERE e."resource_id" = d."resource_id" AND e."sequence" < d."sequence" AND e."relayed_at" IS NULL)
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE "webhook_deliveries" d
      SET "status" = 'sending', "lease_until" = ${iso(leaseUntil)}::timestamp(3), "updated_at" = ${iso(now)}::timestamp(3)
      FROM due, "events" e, ep
      WHERE d."id" = due."id" AND e."id" = d."event_id"
      RETURNING d."id", d."event_id", d."event_type", d."sequence", d."attempts", e."data", e."created_at" AS "event_created_at",
        ep."url", ep."secret", ep."previous_secret", ep."previous_secret_expires_at", ep."failing_since"`;
  }

  async function send(delivery: Claimed): Promise<PostResult> {
    const body = JSON.stringify({ id: delivery.event_id, type: delivery.event_type, timestamp: iso(delivery.event_created_at), sequence: delivery.sequence, data: delivery.data });
    const timestamp = new Date();
    const secrets = [delivery.secret];
    if (delivery.previous_secret && delivery.previous_secret_expires_at && delivery.previous_secret_expires_at > timestamp) secrets.push(delivery.previous_secret);
    return deps.post(
      delivery.url,
      {
        "webhook-id": delivery.event_id,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signatureHeader(secrets, delivery.event_id, timestamp, body),
      },
      body,
    );
  }

  /** Sends with bounded concurrency; stops starting new requests once the breaker trips. */
  async function sendAll(claimed: Claimed[]): Promise<{ outcomes: Outcome[]; tripped: boolean }> {
    const outcomes: Outcome[] = [];
    let next = 0;
    let failuresInRow = 0;
    let tripped = false;
    const lane = async () => {
      for (;;) {
        const delivery = claimed[next++];
        if (!delivery) return;
        if (tripped) {
          outcomes.push({ delivery, attemptedAt: new Date() });
          continue;
        }
        const attemptedAt = new Date();
        const result = await send(delivery);
        outcomes.push({ delivery, result, attemptedAt });
        failuresInRow = succeeded(result) ? 0 : failuresInRow + 1;
        if (failuresInRow >= BREAKER) tripped = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
    return { outcomes, tripped };
  }

  async function record(endpointId: string, outcomes: Outcome[], tripped: boolean, trigger: string, now: Date): Promise<void> {
    const rows = outcomes.map(({ delivery, result, attemptedAt }) => {
      if (!result) {
        // Not attempted (the breaker tripped): back to pending, after the endpoint's pause.
        return { id: delivery.id, status: "pending", attempts: delivery.attempts, next_at: null, attempted_at: null, code: null, error: null, succeeded_at: null };
      }
      const attempts = delivery.attempts + 1;
      if (succeeded(result)) {
        return { id: delivery.id, status: "succeeded", attempts, next_at: null, attempted_at: iso(attemptedAt), code: result.statusCode ?? null, error: null, succeeded_at: iso(now) };
      }
      // 410 Gone: the receiver asks for nothing more; that delivery ends with the endpoint.
      const delay = result.statusCode === 410 ? undefined : nextAttemptDelay(attempts, deps.retryScheduleMs);
      const nextAt = delay === undefined ? null : new Date(Math.max(now.getTime() + delay, now.getTime() + (result.retryAfterMs ?? 0)));
      return {
        id: delivery.id,
        status: nextAt ? "pending" : "failed",
        attempts,
        next_at: nextAt ? iso(nextAt) : null,
        attempted_at: iso(attemptedAt),
        code: result.statusCode ?? null,
        error: failureText(result),
        succeeded_at: null,
      };
    });
    const attempts = outcomes
      .filter((outcome) => outcome.result)
      .map(({ delivery, result, attemptedAt }) => ({
        id: newId("webhookAttempt"),
        delivery_id: delivery.id,
        attempted_at: iso(attemptedAt),
        status_code: result!.statusCode ?? null,
        latency_ms: result!.latencyMs,
        error: succeeded(result!) ? null : failureText(result!),
        response: result!.response ?? null,
        trigger,
      }));
    for (const { delivery, result } of outcomes) {
      if (!result) continue;
      const ok = succeeded(result);
      deps.metrics?.webhookDeliveries.inc({ outcome: ok ? "delivered" : "failed" });
      if (ok) deps.metrics?.webhookLag.observe((now.getTime() - delivery.event_created_at.getTime()) / 1000);
    }
    const anySuccess = outcomes.some((outcome) => outcome.result && succeeded(outcome.result));
    const anyFailure = outcomes.some((outcome) => outcome.result && !succeeded(outcome.result));
    const gone = outcomes.some((outcome) => outcome.result?.statusCode === 410);
    const retryAfter = Math.max(0, ...outcomes.map((outcome) => outcome.result?.retryAfterMs ?? 0));
    const failingSince = outcomes[0]?.delivery.failing_since ?? (anyFailure && !anySuccess ? now : null);
    // A tripped breaker pauses the endpoint for a tenth of how long it has been failing (5 s to 5 min).
    const pauseMs = Math.max(retryAfter, tripped ? Math.min(300_000, Math.max(5_000, (now.getTime() - (failingSince ?? now).getTime()) / 10)) : 0);
    const pausedUntil = pauseMs > 0 ? new Date(now.getTime() + pauseMs) : null;

    await deps.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`
        UPDATE "webhook_deliveries" d SET
          "status" = r."status"::"DeliveryStatus",
          "attempts" = r."attempts",
          "next_attempt_at" = COALESCE(r."next_at"::timestamp(3), ${pausedUntil ? iso(pausedUntil) : iso(now)}::timestamp(3)),
          "lease_until" = NULL,
          "last_attempt_at" = COALESCE(r."attempted_at"::timestamp(3), d."last_attempt_at"),
          "last_status_code" = COALESCE(r."code", d."last_status_code"),
          "last_error" = CASE WHEN r."attempted_at" IS NULL THEN d."last_error" ELSE r."error" END,
          "succeeded_at" = r."succeeded_at"::timestamp(3),
          "updated_at" = ${iso(now)}::timestamp(3)
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS r("id" text, "status" text, "attempts" int, "next_at" text, "attempted_at" text, "code" int, "error" text, "succeeded_at" text)
        WHERE d."id" = r."id" AND d."status" = 'sending'`;
      if (attempts.length) {
        await tx.$executeRaw`
          INSERT INTO "webhook_attempts" ("id", "delivery_id", "attempted_at", "status_code", "latency_ms", "error", "response", "trigger")
          SELECT a."id", a."delivery_id", a."attempted_at"::timestamp(3), a."status_code", a."latency_ms", a."error", a."response", a."trigger"
          FROM jsonb_to_recordset(${JSON.stringify(attempts)}::jsonb)
            AS a("id" text, "delivery_id" text, "attempted_at" text, "status_code" int, "latency_ms" int, "error" text, "response" text, "trigger" text)`;
      }
      // Later events of a resource whose delivery failed wait behind it: they would only be blocked before then.
      const retried = rows.filter((row) => row.status === "pending" && row.next_at);
      if (retried.length) {
        await tx.$executeRaw`
          UPDATE "webhook_deliveries" s SET "next_attempt_at" = GREATEST(s."next_attempt_at", f."next_attempt_at")
          FROM "webhook_deliveries" f
          WHERE f."id" = ANY(${retried.map((row) => row.id)}::text[]) AND s."endpoint_id" = f."endpoint_id"
            AND s."resource_id" = f."resource_id" AND s."sequence" > f."sequence" AND s."status" = 'pending'`;
      }
      await tx.webhookEndpoint.update({
        where: { id: endpointId },
        data: {
          ...(anySuccess ? { failingSince: null } : anyFailure ? { failingSince: failingSince ?? now } : {}),
          ...(pausedUntil ? { pausedUntil } : {}),
        },
      });
      const failingFor = anyFailure && !anySuccess && failingSince ? now.getTime() - failingSince.getTime() : 0;
      const disableReason = gone ? "The endpoint answered 410 Gone." : failingFor >= disableAfterMs ? "Every delivery to the endpoint failed for five days." : undefined;
      if (disableReason) {
        await disableWebhookEndpoint(tx, endpointId, disableReason, now).catch((error: unknown) => {
          if (!(error instanceof StaleStateError)) throw error;
        });
      }
    });
  }

  /** When this batch has something to do next, or undefined when all its deliveries are done. */
  async function nextDue(endpointId: string, ids: string[]): Promise<Date | undefined> {
    const [row] = await deps.prisma.$queryRaw<Array<{ next: Date | null }>>`
      SELECT min(GREATEST(d."next_attempt_at", COALESCE(ep."paused_until", d."next_attempt_at"),
                          CASE WHEN d."status" = 'sending' THEN d."lease_until" ELSE d."next_attempt_at" END)) AS "next"
      FROM "webhook_deliveries" d JOIN "webhook_endpoints" ep ON ep."id" = d."endpoint_id"
      WHERE d."id" = ANY(${ids}::text[]) AND d."endpoint_id" = ${endpointId} AND d."status" IN ('pending', 'sending') AND ep."enabled"`;
    return row?.next ?? undefined;
  }

  return async function deliverBatch(bullJob: BullJob, token?: string): Promise<void> {
    const parsed = DeliveryBatch.safeParse(bullJob.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid delivery batch: ${parsed.error.message}`);
    const { endpointId, deliveryIds, trigger } = parsed.data;
    for (;;) {
      const now = new Date();
      const claimed = await claim(endpointId, deliveryIds, now);
      if (claimed.length === 0) break;
      const { outcomes, tripped } = await sendAll(claimed);
      await record(endpointId, outcomes, tripped, trigger, new Date());
      if (tripped) break;
    }
    const next = await nextDue(endpointId, deliveryIds);
    if (!next) return;
    // Something is due but not claimable now (behind an earlier event, or claimed elsewhere): look again soon.
    await bullJob.moveToDelayed(Math.max(next.getTime(), Date.now() + 250), token);
    throw new DelayedError();
  };
}

function succeeded(result: PostResult): boolean {
  return result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
}

function failureText(result: PostResult): string {
  if (result.error) return result.error;
  if (result.statusCode !== undefined && result.statusCode >= 300 && result.statusCode < 400) return `HTTP ${result.statusCode}: redirects are not followed`;
  return `HTTP ${result.statusCode}`;
}

import pg from "pg";
import { z } from "zod";
import { EVENTS_CHANNEL as CHANNEL } from "../transitions/outbox.ts";

/** What the `reelay_events` notification carries: ids only; readers load the rows. */
export const EventNotice = z.object({
  id: z.string(),
  type: z.string(),
  tenant_id: z.string(),
  resource_id: z.string(),
  sequence: z.number().int(),
  job_id: z.string().nullable(),
});
export type EventNotice = z.infer<typeof EventNotice>;

/** Why a wait ended: an event of the resource, the time ran out, or the hub reconnected (re-read). */
export type WakeReason = "event" | "timeout" | "resync" | "aborted";



/** Where a revoked API key is announced (payload: the key's hash), so caches drop it at once. */
export const API_KEYS_CHANNEL = "reelay_api_keys";

export interface EventHubOptions {
  databaseUrl: string;
  log?: (message: string, error?: unknown) => void;
  /** First reconnect delay after the connection drops, ms. Default 500. */
  reconnectMs?: number;
}

/**
 * One LISTEN connection per process, shared by everything in it that waits for a state change
 * (POST /responses, GET /jobs/{id}?wait, SSE streams, the relay). Notifications only wake
 * waiters; the rows in Postgres are the truth, so a missed notification (the connection dropped)
 * delays a waiter until its safety re-read, and never loses anything. Reconnects by itself.
 */
export class EventHub {
  private client: pg.Client | undefined;
  private readonly waiters = new Map<string, Set<(reason: WakeReason, notice?: EventNotice) => void>>();
  private readonly listeners = new Set<(notice: EventNotice | undefined) => void>();
  private readonly keyListeners = new Set<(hash: string | undefined) => void>();
  private closed = false;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(private readonly options: EventHubOptions) {}

  /** Connects in the background; waiters work before (and while) it is connected, on their timeouts. */
  start(): void {
    void this.connect();
  }

  /** Resolves once LISTEN is in place (tests and the relay use it to avoid a start-up race). */
  async ready(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.client && Date.now() < deadline && !this.closed) {
      await (this.connecting ?? new Promise((resolve) => setTimeout(resolve, 50)));
      if (!this.client) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.client !== undefined;
  }

  /**
   * Calls `listener` for every event notice, and with `undefined` after a reconnect (anything may
   * have been missed: re-scan). Returns the unsubscribe function.
   */
  onEvent(listener: (notice: EventNotice | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls `listener` with the hash of every API key revoked anywhere, and with `undefined` after a
   * reconnect (a revocation may have been missed: drop everything). Returns the unsubscribe function.
   */
  onKeyRevoked(listener: (hash: string | undefined) => void): () => void {
    this.keyListeners.add(listener);
    return () => this.keyListeners.delete(listener);
  }

  /**
   * Waits for the next event of `resourceId` (the next one `wakeOn` accepts, when given), at most
   * `timeoutMs`. A reconnect wakes every waiter, whatever it waits for.
   */
  waitFor(resourceId: string, timeoutMs: number, signal?: AbortSignal, wakeOn?: (notice: EventNotice) => boolean): Promise<WakeReason> {
    if (signal?.aborted || this.closed) return Promise.resolve("aborted");
    return new Promise((resolve) => {
      let set = this.waiters.get(resourceId);
      if (!set) this.waiters.set(resourceId, (set = new Set()));
      const done = (reason: WakeReason, notice?: EventNotice) => {
        if (notice && wakeOn && !wakeOn(notice)) return;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const current = this.waiters.get(resourceId);
        current?.delete(done);
        if (current?.size === 0) this.waiters.delete(resourceId);
        resolve(reason);
      };
      const onAbort = () => done("aborted");
      const timer = setTimeout(() => done("timeout"), Math.max(0, timeoutMs));
      signal?.addEventListener("abort", onAbort, { once: true });
      set.add(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    for (const set of this.waiters.values()) for (const wake of [...set]) wake("aborted");
  }

  private connect(): Promise<void> {
    if (this.connecting || this.closed) return this.connecting ?? Promise.resolve();
    this.connecting = (async () => {
      const client = new pg.Client({ connectionString: this.options.databaseUrl, keepAlive: true });
      client.on("error", (error) => this.lost(client, error));
      client.on("end", () => this.lost(client));
      client.on("notification", (message) => (message.channel === API_KEYS_CHANNEL ? this.revoked(message.payload) : this.dispatch(message.payload)));
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANNEL}; LISTEN ${API_KEYS_CHANNEL}`);
        if (this.closed) {
          await client.end().catch(() => undefined);
          return;
        }
        const reconnected = this.failures > 0;
        this.failures = 0;
        this.client = client;
        // Anything may have happened while no one listened: wake everyone to re-read.
        if (reconnected) this.resync();
      } catch (error) {
        await client.end().catch(() => undefined);
        this.scheduleReconnect(error);
      }
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners("end");
    void client.end().catch(() => undefined);
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(error?: unknown): void {
    if (this.closed) return;
    this.failures += 1;
    if (this.failures === 1) this.options.log?.("event hub: connection to Postgres lost; reconnecting", error);
    const delay = Math.min(10_000, (this.options.reconnectMs ?? 500) * 2 ** Math.min(this.failures - 1, 5));
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private resync(): void {
    for (const set of this.waiters.values()) for (const wake of [...set]) wake("resync");
    for (const listener of this.listeners) listener(undefined);
    for (const listener of this.keyListeners) listener(undefined);
  }

  private revoked(hash: string | undefined): void {
    for (const listener of this.keyListeners) listener(hash);
  }

  private dispatch(payload: string | undefined): void {
    let notice: EventNotice;
    try {
      notice = EventNotice.parse(JSON.parse(payload ?? ""));
    } catch (error) {
      this.options.log?.("event hub: unreadable notification", error);
      return;
    }
    const set = this.waiters.get(notice.resource_id);
    if (set) for (const wake of [...set]) wake("event", notice);
    for (const listener of this.listeners) listener(notice);
  }
}

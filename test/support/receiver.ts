import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How the receiver answers one request: a status (200 by default), or `hang` to never answer. */
export type Reply = number | { status: number; headers?: Record<string, string>; body?: string } | "hang";

/**
 * A real HTTP webhook receiver on loopback. It records every request (headers and raw body, as
 * signature checks need it) and answers with `reply(request, index)`; `waitFor` resolves once the
 * recorded requests satisfy a condition.
 */
export async function startReceiver(reply: (request: Received, index: number) => Reply = () => 200) {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(request);
      for (const wake of [...waiters]) wake();
      const answer = reply(request, received.length - 1);
      if (answer === "hang") {
        hanging.add(res);
        return;
      }
      const { status, headers, body } = typeof answer === "number" ? { status: answer, headers: {}, body: "ok" } : { headers: {}, body: "", ...answer };
      res.writeHead(status, headers).end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    received,
    /** Bodies parsed as JSON, in arrival order. */
    events: () => received.map((r) => JSON.parse(r.body) as { id: string; type: string; timestamp: string; sequence: number; data: Record<string, unknown> }),
    async waitFor(condition: (received: Received[]) => boolean, timeoutMs = 30_000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      while (!condition(received)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} requests: ${received.map((r) => r.body.slice(0, 80)).join(" | ")})`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, Math.min(left, 250));
          waiters.add(wake);
        });
      }
      return received;
    },
    async close(): Promise<void> {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

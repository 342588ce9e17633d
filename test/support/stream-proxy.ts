import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface StreamProxyCall {
  method: string;
  path: string;
  status: number;
}

/** Controls of one streamed answer passing through the proxy. */
export interface StreamControl {
  /** Resolves once the stream's first event has been passed on (and, with `hold`, the rest held back). */
  firstEvent: Promise<void>;
  /** Lets the rest of a held stream through. */
  release: () => void;
}

/**
 * A real HTTP hop between the worker and the platform that passes everything through as it comes,
 * Server-Sent Events chunk by chunk (unlike platform-proxy.ts, which buffers), and records every
 * call. A one-shot control lets a test stand between the platform and Reelay while an answer
 * streams: hold it after its first event, or rewrite its events.
 */
export async function startStreamProxy(target: string) {
  const upstream = new URL(target);
  const calls: StreamProxyCall[] = [];
  let nextStream: { hold: boolean; rewrite: ((block: string) => string) | undefined; control: StreamControl; reached: () => void; released: Promise<void> } | undefined;

  const server = createServer((req, res) => {
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").replace(/^\/v1\.3/, "");
    const bare = path.split("?")[0] ?? path;
    const outbound = request(
      { hostname: upstream.hostname, port: upstream.port, path: `${upstream.pathname.replace(/\/$/, "")}${path}`, method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        calls.push({ method, path: bare, status: answer.statusCode ?? 0 });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const streamed = /^text\/event-stream/.test(String(answer.headers["content-type"] ?? ""));
        const stream = streamed && method === "POST" && bare === "/responses" ? nextStream : undefined;
        if (!stream) return void answer.pipe(res);
        nextStream = undefined;
        relayEvents(answer, res, stream);
      },
    );
    outbound.on("error", () => res.destroy());
    // The worker gave up (a time-out, or it was killed): so does the platform's side.
    res.on("close", () => outbound.destroy());
    req.pipe(outbound);
  });

  /** Passes a stream on block by block (a block is one event), applying the stream's controls. */
  function relayEvents(answer: IncomingMessage, res: import("node:http").ServerResponse, stream: NonNullable<typeof nextStream>): void {
    let pending = "";
    let first = true;
    let holding = false;
    let ended = false;
    const send = (block: string) => res.write(`${stream.rewrite ? stream.rewrite(block) : block}\n\n`);
    const flush = () => {
      let end: number;
      while (!holding && (end = pending.indexOf("\n\n")) >= 0) {
        send(pending.slice(0, end));
        pending = pending.slice(end + 2);
        if (first) {
          first = false;
          holding = stream.hold;
          stream.reached();
        }
      }
      if (!holding && ended) res.end(pending);
    };
    answer.setEncoding("utf8");
    answer.on("error", () => res.destroy());
    answer.on("data", (chunk: string) => {
      pending += chunk;
      flush();
    });
    answer.on("end", () => {
      ended = true;
      flush();
    });
    void stream.released.then(() => {
      holding = false;
      flush();
    });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.3`,
    calls,
    /** Counts the calls made to `method path` so far. */
    count: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path).length,
    /** Applies to the next streamed answer (POST /responses): hold it after its first event, and/or rewrite its events. */
    nextStream(options: { hold?: boolean; rewrite?: (block: string) => string } = {}): StreamControl {
      let reached!: () => void;
      let release!: () => void;
      const firstEvent = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      if (!options.hold) release();
      const control = { firstEvent, release };
      nextStream = { hold: options.hold ?? false, rewrite: options.rewrite, control, reached, released };
      return control;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface ForwardedCall {
  method: string;
  /** The path without its query string. */
  path: string;
  status: number;
}

/**
 * A transparent HTTP hop in front of a server that records every call, bodies streamed both ways
 * (chunk uploads go through it too). The client's `Host` is forwarded, so URLs the server builds
 * from it — the emulator's presigned chunk URLs — point back through the hop.
 */
export async function startCountingProxy(target: string) {
  const upstream = new URL(target);
  const calls: ForwardedCall[] = [];
  const server = createServer((req, res) => {
    const outbound = request({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      calls.push({ method: req.method ?? "GET", path: (req.url ?? "/").split("?")[0]!, status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    outbound.on("error", () => res.headersSent ? res.destroy() : res.writeHead(502).end());
    req.pipe(outbound);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    /** The target's URL with the proxy's origin, path kept (e.g. `http://127.0.0.1:PORT/v1.3`). */
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${upstream.pathname.replace(/\/$/, "")}`,
    calls,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedCall {
  method: string;
  path: string;
  status: number;
  /** When the call arrived (epoch ms). */
  at: number;
}

/**
 * A real HTTP hop between the worker and the emulator that can rewrite what the platform answers
 * (to stand in for a platform whose answers Reelay cannot read) and records every call. Bodies
 * are buffered: fine for JSON calls, which is all it is used for.
 */
export async function startPlatformProxy(target: string, rewrite: (call: { method: string; path: string }, body: string) => string | undefined = () => undefined) {
  const upstream = new URL(target);
  const calls: ProxiedCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    const at = Date.now();
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = (req.url ?? "/").replace(/^\/v1\.3/, "");
      const outbound = request(
        { hostname: upstream.hostname, port: upstream.port, path: `${upstream.pathname.replace(/\/$/, "")}${path}`, method: req.method, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => parts.push(chunk));
          answer.on("end", () => {
            const call = { method: req.method ?? "GET", path: path.split("?")[0] ?? path };
            calls.push({ ...call, status: answer.statusCode ?? 0, at });
            const original = Buffer.concat(parts).toString("utf8");
            const body = rewrite(call, original) ?? original;
            const headers = { ...answer.headers };
            delete headers["content-length"];
            delete headers["transfer-encoding"];
            res.writeHead(answer.statusCode ?? 502, headers).end(body);
          });
        },
      );
      outbound.on("error", () => res.writeHead(502).end());
      outbound.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.3`,
    calls,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createConnection, createServer, type AddressInfo, type Socket } from "node:net";

export interface TcpProxy {
  /** The loopback port clients connect to; it stays the same across `cut` and `restore`. */
  port: number;
  /**
   * Makes the target unreachable the way a restarting server is: stops listening (new connections
   * are refused) and resets every relayed connection, both sides.
   */
  cut: () => Promise<void>;
  /** Listens again on the same port. */
  restore: () => Promise<void>;
  /** True between `cut` and `restore`. */
  isCut: () => boolean;
  /** Stops relaying for good (a cut that is not restored). */
  close: () => Promise<void>;
}

/**
 * A TCP relay on loopback in front of `target`, so that a test can take a dependency away from
 * the processes using it (and give it back) without touching the shared server itself.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const relayed = new Set<{ client: Socket; upstream: Socket }>();
  const server = createServer((client) => {
    const pair = { client, upstream: createConnection(target) };
    const { upstream } = pair;
    relayed.add(pair);
    const forget = () => {
      relayed.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // Either side ending or failing ends both, as a real connection would.
    client.on("error", forget).on("close", forget);
    upstream.on("error", forget).on("close", forget);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;

  const cut = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // resetAndDestroy sends RST, like a killed server; a plain destroy would close politely (FIN).
    for (const { client, upstream } of relayed) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    relayed.clear();
    await closed;
  };

  return {
    port,
    cut,
    restore: () => listen(port),
    isCut: () => !server.listening,
    close: async () => {
      if (server.listening) await cut();
    },
  };
}

/** `url` with its host and port replaced by the proxy's. */
export function viaProxy(url: string, proxy: Pick<TcpProxy, "port">): string {
  const next = new URL(url);
  next.hostname = "127.0.0.1";
  next.port = String(proxy.port);
  return next.toString();
}

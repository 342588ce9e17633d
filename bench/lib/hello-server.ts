import type { AddressInfo } from "node:net";
import express from "express";

/**
 * The floor any Express 5 route stands on: one GET answering a small JSON body, nothing else. Run
 * in the benchmark's own process, beside Reelay's API, so both share the machine the same way.
 */
export async function startHelloServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.disable("x-powered-by");
  app.get("/hello", (_req, res) => {
    res.json({ hello: "world" });
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hello`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

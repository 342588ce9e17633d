import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { EmulatorConfig } from "../config.ts";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator, unreachableUrl } from "../testing/emulator-fixtures.ts";
import { classifyAddress } from "@reelay/net";
import { URL_NOT_FETCHED } from "./download-url.ts";

/** A throwaway HTTP server that records what reached it. */
async function startOrigin(host: string, handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once("close", () => (inFlight -= 1));
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    port,
    url: (path: string) => `${base}${path}`,
    requests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type Origin = Awaited<ReturnType<typeof startOrigin>>;

const redirectTo = (location: string) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(302, { location }).end();
};

/** A private, non-loopback address of this machine (a LAN or container address), if it has one. */
const privateAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && !entry.internal && entry.family === "IPv4" && classifyAddress(entry.address) === "private")?.address;

describe("method=url downloads", () => {
  let files: FileServer;
  const opened: Array<{ close(): Promise<void> }> = [];
  const track = <T extends { close(): Promise<void> }>(closable: T): T => {
    opened.push(closable);
    return closable;
  };

  beforeAll(async () => {
    ({ files } = await serveSampleMedia());
  });
  afterAll(async () => {
    for (const closable of opened.reverse()) await closable.close();
    await files?.close();
  });

  const emulatorWith = async (options: Partial<EmulatorConfig>) => track(await startTestEmulator(options));
  const createFromUrl = async (emulator: RunningEmulator, url: string) => {
    const form = new FormData();
    form.set("method", "url");
    form.set("url", url);
    const created = await rawClient(emulator.url)("POST", "/assets", form);
    expect(created.status).toBe(201);
    return created.json._id as string;
  };
  const settled = (emulator: RunningEmulator, id: string, timeoutMs = 10_000) =>
    pollUntil(() => rawClient(emulator.url)("GET", `/assets/${id}`), (r) => r.json?.status !== "processing", { timeoutMs }).then((r) => r.json);

  describe("with EMULATOR_ALLOW_PRIVATE_URLS=none", () => {
    it("refuses loopback targets in every spelling without connecting, saying only that the URL could not be fetched", async () => {
      const emulator = await emulatorWith({ allowPrivateUrls: "none" });
      const origin = track(await startOrigin("127.0.0.1", (_req, res) => res.end("bytes")));
      const urls = [
        origin.url("/direct.mp4"),
        `http://localhost:${origin.port}/by-name.mp4`,
        `http://[::ffff:127.0.0.1]:${origin.port}/mapped.mp4`,
        `http://[::ffff:7f00:1]:${origin.port}/mapped-hex.mp4`,
        `http://2130706433:${origin.port}/decimal.mp4`,
      ];
      for (const url of urls) {
        const asset = await settled(emulator, await createFromUrl(emulator, url));
        expect(asset, url).toMatchObject({ status: "failed", error: { message: URL_NOT_FETCHED } });
      }
      expect(origin.requests).toEqual([]);
    });
  });

  describe("with the default, loopback", () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await emulatorWith({ downloadTimeoutMs: 20_000 });
    });

    it("follows redirects between loopback servers to the file", async () => {
      const hop2 = track(await startOrigin("127.0.0.1", redirectTo(files.url("sample.mp4"))));
      const hop1 = track(await startOrigin("127.0.0.1", redirectTo(hop2.url("/next"))));
      const asset = await settled(emulator, await createFromUrl(emulator, hop1.url("/start.mp4")));
      expect(asset).toMatchObject({ status: "ready", duration: 9 });
    });

    it.skipIf(privateAddress === undefined)("refuses a redirect to a private address of this host without connecting to it", async () => {
      const inside = track(await startOrigin(privateAddress ?? "", (_req, res) => res.end("internal secrets")));
      const bounce = track(await startOrigin("127.0.0.1", redirectTo(inside.url("/admin"))));
      const asset = await settled(emulator, await createFromUrl(emulator, bounce.url("/video.mp4")));
      expect(asset).toMatchObject({ status: "failed", error: { message: URL_NOT_FETCHED } });
      expect(bounce.requests).toEqual(["/video.mp4"]);
      expect(inside.requests).toEqual([]);
    });

    it("refuses a redirect to the link-local metadata address at once, with the same message", async () => {
      const bounce = track(await startOrigin("127.0.0.1", redirectTo("http://169.254.169.254/latest/meta-data/")));
      // Well inside the 20 s download time-out: the hop is refused, not attempted.
      const asset = await settled(emulator, await createFromUrl(emulator, bounce.url("/video.mp4")), 5_000);
      expect(asset).toMatchObject({ status: "failed", error: { message: URL_NOT_FETCHED } });
    });

    it("refuses a redirect to another scheme", async () => {
      const bounce = track(await startOrigin("127.0.0.1", redirectTo("file:///etc/passwd")));
      const asset = await settled(emulator, await createFromUrl(emulator, bounce.url("/video.mp4")));
      expect(asset).toMatchObject({ status: "failed", error: { message: URL_NOT_FETCHED } });
    });

    it("gives up after 5 redirects", async () => {
      let loop: Origin | undefined;
      loop = track(await startOrigin("127.0.0.1", (req, res) => redirectTo(loop?.url(`${req.url ?? "/"}x`) ?? "")(req, res)));
      const asset = await settled(emulator, await createFromUrl(emulator, loop.url("/v")));
      expect(asset).toMatchObject({ status: "failed", error: { message: `${URL_NOT_FETCHED}: it redirects more than 5 times` } });
      expect(loop.requests).toHaveLength(6);
    });
  });

  it("a refused target, a closed port, an unknown host and a silent server all fail with one message", async () => {
    const strict = await emulatorWith({ allowPrivateUrls: "none" });
    const loose = await emulatorWith({ downloadTimeoutMs: 500 });
    const silent = track(await startOrigin("127.0.0.1", () => undefined));
    const messages = [
      (await settled(strict, await createFromUrl(strict, "http://10.0.0.5:5432/video.mp4"))).error?.message,
      (await settled(loose, await createFromUrl(loose, await unreachableUrl()))).error?.message,
      (await settled(loose, await createFromUrl(loose, "http://no-such-host.invalid/video.mp4"))).error?.message,
      (await settled(loose, await createFromUrl(loose, silent.url("/video.mp4")))).error?.message,
    ];
    expect(messages).toEqual([URL_NOT_FETCHED, URL_NOT_FETCHED, URL_NOT_FETCHED, URL_NOT_FETCHED]);
    expect(silent.requests).toEqual(["/video.mp4"]);
  });

  it("with EMULATOR_MAX_CONCURRENT_DOWNLOADS=2 > runs two downloads at once and queues the rest", async () => {
    const emulator = await emulatorWith({ maxConcurrentDownloads: 2 });
    const held: ServerResponse[] = [];
    let released = false;
    const origin = track(
      await startOrigin("127.0.0.1", (_req, res) => {
        if (released) res.writeHead(404).end();
        else held.push(res);
      }),
    );
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await createFromUrl(emulator, origin.url(`/video-${i}.mp4`)));

    const busy = await pollUntil(
      async () => emulator.faults.stats().concurrency.downloads,
      (downloads) => downloads.running === 2 && downloads.waiting === 3,
    );
    expect(busy).toEqual({ limit: 2, running: 2, waiting: 3 });
    expect(origin.requests).toHaveLength(2);

    released = true;
    for (const res of held) res.writeHead(404).end();
    for (const id of ids) expect(await settled(emulator, id)).toMatchObject({ status: "failed", error: { message: `${URL_NOT_FETCHED}: the server answered HTTP 404` } });
    expect(origin.requests).toHaveLength(5);
    expect(origin.maxInFlight()).toBe(2);
  });
});

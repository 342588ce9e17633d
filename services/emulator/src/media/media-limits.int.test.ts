import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "@reelay/sample-media";
import type { RunningEmulator } from "../start-emulator.ts";
import { pollUntil, rawClient, serveSampleMedia, startTestEmulator } from "../testing/emulator-fixtures.ts";

/** Real ffmpeg/ffprobe behind shell wrappers that record each run: the emulator under test is unchanged. */
async function writeWrapper(path: string, body: string): Promise<string> {
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

const lines = async (path: string) => (await readFile(path, "utf8").catch(() => "")).split("\n").filter(Boolean);

describe("ffmpeg and ffprobe runs", () => {
  let files: FileServer;
  let dir: string;

  beforeAll(async () => {
    ({ files } = await serveSampleMedia());
    dir = await mkdtemp(join(tmpdir(), "reelay-media-limits-"));
  });
  afterAll(async () => {
    await files?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const createAsset = async (emulator: RunningEmulator) => {
    const form = new FormData();
    form.set("method", "url");
    form.set("url", files.url("sample.mp4"));
    return (await rawClient(emulator.url)("POST", "/assets", form)).json._id as string;
  };
  const whenReady = (emulator: RunningEmulator, path: string) =>
    pollUntil(() => rawClient(emulator.url)("GET", path), (r) => r.json?.status === "ready" || r.json?.status === "failed");

  it("every run, probing and indexing alike, reads its input with -protocol_whitelist file,pipe", async () => {
    const log = join(dir, "args.log");
    const ffprobePath = await writeWrapper(join(dir, "ffprobe-args"), `echo "ffprobe $*" >> '${log}'\nexec ffprobe "$@"`);
    const ffmpegPath = await writeWrapper(join(dir, "ffmpeg-args"), `echo "ffmpeg $*" >> '${log}'\nexec ffmpeg "$@"`);
    const emulator = await startTestEmulator({ ffprobePath, ffmpegPath });
    try {
      const api = rawClient(emulator.url);
      const assetId = await createAsset(emulator);
      expect((await whenReady(emulator, `/assets/${assetId}`)).json.status).toBe("ready");
      const storeId = (await api("POST", "/knowledge-stores", { name: "whitelist" })).json._id;
      const itemId = (await api("POST", `/knowledge-stores/${storeId}/items`, { asset_id: assetId })).json._id;
      expect((await whenReady(emulator, `/knowledge-stores/${storeId}/items/${itemId}`)).json.status).toBe("ready");
    } finally {
      await emulator.close();
    }

    const runs = await lines(log);
    // Probe, playability decode, scene cuts, silences, speech: each kind of run is covered.
    for (const marker of ["ffprobe ", "-xerror", "scdet", "silencedetect", "asr"]) expect(runs.some((run) => run.includes(marker)), marker).toBe(true);
    for (const run of runs) expect(run).toMatch(/^(ffmpeg|ffprobe) -protocol_whitelist file,pipe /);
  });

  it("with EMULATOR_MAX_CONCURRENT_MEDIA=2 > runs two at once and queues the rest", async () => {
    const log = join(dir, "concurrency.log");
    const release = join(dir, "release");
    // Each probe holds its place until the test releases them, so the queue can be observed.
    const ffprobePath = await writeWrapper(
      join(dir, "ffprobe-held"),
      `echo start >> '${log}'\nwhile [ ! -e '${release}' ]; do sleep 0.05; done\nffprobe "$@"\ncode=$?\necho end >> '${log}'\nexit $code`,
    );
    const emulator = await startTestEmulator({ ffprobePath, maxConcurrentMedia: 2 });
    try {
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push(await createAsset(emulator));
      const media = await pollUntil(
        async () => emulator.faults.stats().concurrency.media,
        (state) => state.running === 2 && state.waiting === 2,
      );
      expect(media).toEqual({ limit: 2, running: 2, waiting: 2 });
      await pollUntil(() => lines(log), (entries) => entries.length >= 2);
      expect(await lines(log)).toEqual(["start", "start"]);

      await writeFile(release, "");
      for (const id of ids) expect((await whenReady(emulator, `/assets/${id}`)).json.status).toBe("ready");
      let running = 0;
      let most = 0;
      for (const entry of await lines(log)) {
        running += entry === "start" ? 1 : -1;
        most = Math.max(most, running);
      }
      expect(most).toBe(2);
    } finally {
      await emulator.close();
    }
  });
});

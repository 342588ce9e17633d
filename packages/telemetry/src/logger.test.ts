import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { addLogContext, createLogger, logFn, withLogContext } from "./logger.ts";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe("the logger", () => {
  it("writes one JSON line per entry, with the request's or job's context on every line logged beneath it", async () => {
    const { lines, stream } = capture();
    const logger = createLogger("api", "info", stream);
    await withLogContext({ request_id: "req-1" }, async () => {
      addLogContext({ tenant: "ten_1" });
      await Promise.resolve();
      logFn(logger)("deep inside a handler");
      await withLogContext({ job_id: "job_1", job_type: "item.index" }, async () => logger.info("in a step"));
    });
    logger.info("outside");
    expect(lines[0]).toMatchObject({ service: "api", level: "info", msg: "deep inside a handler", request_id: "req-1", tenant: "ten_1" });
    expect(lines[1]).toMatchObject({ request_id: "req-1", tenant: "ten_1", job_id: "job_1", job_type: "item.index" });
    expect(lines[2]).not.toHaveProperty("request_id");
  });

  it("logs errors with their stack under err, at level error", () => {
    const { lines, stream } = capture();
    logFn(createLogger("worker", "info", stream))("it broke", new Error("boom"));
    expect(lines[0]).toMatchObject({ level: "error", msg: "it broke", err: { message: "boom", type: "Error" } });
  });
});

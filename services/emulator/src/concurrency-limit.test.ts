import { describe, expect, it } from "vitest";
import { ConcurrencyLimit } from "./concurrency-limit.ts";

/** Lets every queued promise continuation run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A task that runs until the test lets it finish. */
function gatedTask() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { run: () => done, finish };
}

describe("ConcurrencyLimit", () => {
  it("runs at most `limit` tasks at once and starts the waiting ones in arrival order", async () => {
    const limit = new ConcurrencyLimit(2);
    const signal = new AbortController().signal;
    const started: number[] = [];
    const tasks = [0, 1, 2, 3].map(() => gatedTask());
    const runs = tasks.map((task, index) =>
      limit.run(signal, () => {
        started.push(index);
        return task.run();
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    expect(limit.snapshot()).toEqual({ limit: 2, running: 2, waiting: 2 });

    tasks[1]?.finish();
    await runs[1];
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(limit.snapshot()).toEqual({ limit: 2, running: 2, waiting: 1 });

    for (const task of tasks) task.finish();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(limit.snapshot()).toEqual({ limit: 2, running: 0, waiting: 0 });
  });

  it("when the signal aborts while waiting > the task never starts and its place in line is freed", async () => {
    const limit = new ConcurrencyLimit(1);
    const holder = gatedTask();
    const first = limit.run(new AbortController().signal, holder.run);
    const controller = new AbortController();
    let ran = false;
    const waiting = limit.run(controller.signal, async () => {
      ran = true;
    });
    controller.abort(new Error("closing"));
    await expect(waiting).rejects.toThrow("closing");
    expect(limit.snapshot()).toEqual({ limit: 1, running: 1, waiting: 0 });
    holder.finish();
    await first;
    expect(ran).toBe(false);
    expect(limit.snapshot().running).toBe(0);
  });

  it("releases its place when a task fails", async () => {
    const limit = new ConcurrencyLimit(1);
    const signal = new AbortController().signal;
    await expect(limit.run(signal, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limit.run(signal, async () => "next")).resolves.toBe("next");
  });
});

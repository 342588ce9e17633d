import { readFile } from "node:fs/promises";

/**
 * Samples a process's resident set size every `everyMs` (this process by default, or another by
 * pid, from /proc) and keeps the peak. `stop()` takes a last sample and returns the figures in bytes.
 */
export function sampleRss(options: { pid?: number; everyMs?: number } = {}) {
  const read = options.pid === undefined ? async () => process.memoryUsage.rss() : () => rssOfPid(options.pid!);
  let peak = 0;
  let last = 0;
  const take = async () => {
    last = await read().catch(() => last);
    peak = Math.max(peak, last);
  };
  const timer = setInterval(() => void take(), options.everyMs ?? 50);
  return {
    async stop(): Promise<{ peak: number; last: number }> {
      clearInterval(timer);
      await take();
      return { peak, last };
    },
  };
}

/** VmRSS of a process, bytes. */
export async function rssOfPid(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

export const MB = 1_000_000;

/** CPU time (user + system) a process has used so far, seconds, from /proc/<pid>/stat. */
export async function cpuSecondsOfPid(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at ")"; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every architecture Node runs on. */
const CLOCK_TICKS_PER_S = 100;

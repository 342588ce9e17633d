import type { AddressInfo } from "node:net";
import { API_VERSION } from "@reelay/contract";
import { createEmulatorApp } from "./app.ts";
import { exposureProblem, parseEmulatorConfig } from "./config.ts";
import type { EmulatorConfig } from "./config.ts";
import type { FaultControls } from "./http/fault-controls.ts";

export interface RunningEmulator {
  /** Base URL to hand to an SDK or client, e.g. `http://127.0.0.1:41234/v1.3`. */
  url: string;
  port: number;
  /** Fault injection and counters, without going through `/admin`. */
  faults: FaultControls;
  close(): Promise<void>;
}

/**
 * Starts an emulator and listens. Options default to the environment-free defaults, except `port`,
 * which defaults to 0 (a free random port) so parallel tests never collide.
 */
export async function startEmulator(options: Partial<EmulatorConfig> = {}): Promise<RunningEmulator> {
  const config: EmulatorConfig = { ...parseEmulatorConfig(), port: 0, ...options };
  // Options bypass the environment's check, so it is repeated on what will actually listen.
  const problem = exposureProblem(config.host, config.apiKey);
  if (problem) throw new Error(`emulator: invalid configuration: EMULATOR_API_KEY ${problem}`);
  const emulator = createEmulatorApp(config);
  const server = emulator.app.listen(config.port, config.host);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}/${API_VERSION}`,
    port,
    faults: emulator.faults,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}

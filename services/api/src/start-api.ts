import { mkdir } from "node:fs/promises";
import { createPrisma } from "@reelay/db";
import { EventHub } from "@reelay/domain";
import { createProducerConnection, createQueue, createWebhookQueue } from "@reelay/jobs";
import { createLogger, logFn, type Metrics } from "@reelay/telemetry";
import { createApp } from "./app.ts";
import { ApiConfig } from "./config.ts";
import { answerClientError } from "./http/errors.ts";

export async function startApi(config: ApiConfig, options: { metrics?: Metrics } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const logger = createLogger("api");
  const log = logFn(logger);
  await mkdir(config.BLOB_DIR, { recursive: true });
  const prisma = createPrisma(config.DATABASE_URL);
  const connection = createProducerConnection(config.REDIS_URL);
  let lastRedisError = "";
  const reportRedis = (error: Error) => {
    // A down Redis repeats the same error on every reconnect attempt; say it once per change.
    if (error.message !== lastRedisError) logger.warn({ err: error }, `redis: ${(lastRedisError = error.message)}`);
  };
  connection.on("error", reportRedis);
  connection.on("ready", () => (lastRedisError = ""));
  const queue = createQueue(connection, config.QUEUE_PREFIX, reportRedis);
  const webhookQueue = createWebhookQueue(connection, config.QUEUE_PREFIX, reportRedis);
  const hub = new EventHub({ databaseUrl: config.DATABASE_URL, log });
  hub.start();
  const app = createApp({ prisma, queue, webhookQueue, hub, redis: connection, config, logger, ...(options.metrics ? { metrics: options.metrics } : {}) });
  if (!config.MULTIPART_URL_SECRET) {
    logger.warn("MULTIPART_URL_SECRET is not set: multipart chunk URLs are signed with a secret of this process only; they stop working when it restarts and on any other API process");
  }
  const server = app.listen(config.PORT, config.HOST);
  server.on("clientError", answerClientError);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  return {
    url: `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections(); // keep-alive sockets would otherwise hold close() open
      // Closing the hub ends long-polls and SSE streams, which would otherwise hold close() open too.
      await hub.close();
      const grace = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(grace);
      await queue.close();
      await webhookQueue.close();
      connection.disconnect();
      await prisma.$disconnect();
    },
  };
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The metrics of one process, in Prometheus' format at GET /metrics. Counters and histograms are
 * updated where things happen; gauges over queues and job rows are read when scraped.
 */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: "reelay_http_request_duration_seconds",
      help: "API request latency by route and status.",
      labelNames: ["method", "route", "status"],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
      registers: [registry],
    }),
    platformCalls: new Counter({ name: "reelay_platform_calls_total", help: "Calls to the platform by operation and outcome.", labelNames: ["operation", "outcome"], registers: [registry] }),
    platformDuration: new Histogram({
      name: "reelay_platform_call_duration_seconds",
      help: "Platform call latency by operation.",
      labelNames: ["operation"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({ name: "reelay_webhook_attempts_total", help: "Webhook delivery attempts by outcome.", labelNames: ["outcome"], registers: [registry] }),
    webhookLag: new Histogram({
      name: "reelay_webhook_delivery_lag_seconds",
      help: "From the state change to the receiver's 2xx.",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 300, 3600],
      registers: [registry],
    }),
    /** A gauge whose value is read at scrape time. */
    gauge(name: string, help: string, labelNames: string[], collect: (gauge: Gauge) => Promise<void>): Gauge {
      return new Gauge({ name, help, labelNames, registers: [registry], async collect() { await collect(this); } });
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

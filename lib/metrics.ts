import { Counter, Histogram, Registry } from "prom-client";

/**
 * Ebbflow's operational metrics (prom-client). Each worker process counts into its own
 * registry and publishes it to Redis every few seconds (lib/metrics-publish.ts); the web's
 * GET /metrics adds them up with prom-client's aggregator, so Prometheus scrapes one URL
 * however many worker dynos run.
 */
export const registry = new Registry();

export const checksTotal = new Counter({
  name: "ebbflow_checks_total",
  help: "Tenant checks run, by outcome (ok, error, skipped).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

export const checkLagSeconds = new Histogram({
  name: "ebbflow_check_lag_seconds",
  help: "Time from when a check was due to when it started.",
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [registry],
});

export const checkDurationSeconds = new Histogram({
  name: "ebbflow_check_duration_seconds",
  help: "Time a check took, probe to record.",
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
  registers: [registry],
});

export const decisionsTotal = new Counter({
  name: "ebbflow_decisions_total",
  help: "Scaling decisions, by direction (up, down, none) and whether they were applied.",
  labelNames: ["direction", "applied"] as const,
  registers: [registry],
});

export const herokuCallsTotal = new Counter({
  name: "ebbflow_heroku_api_calls_total",
  help: "Heroku Platform API calls, by HTTP status (or 'network').",
  labelNames: ["status"] as const,
  registers: [registry],
});

export const errorsTotal = new Counter({
  name: "ebbflow_errors_total",
  help: "Errors, by kind (probe, heroku, record, ...).",
  labelNames: ["kind"] as const,
  registers: [registry],
});

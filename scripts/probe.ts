import { parseArgs } from "node:util";
import { isProbeError, ProbeError } from "@/lib/queues/errors";
import { closeProbeConnections, parseSource, probeQueues } from "@/lib/queues/probe";

/**
 * One probe from the command line:
 *
 *   npm run --silent probe -- --backend sidekiq --url redis://127.0.0.1:6379/0 \
 *     [--queues default,mailers] [--namespace ns] [--prefix bull]
 *
 * Prints the probe result as JSON on stdout and exits 0; on failure prints
 * {"error":"probe_failed","kind":…,"message":…} as JSON on stdout and exits 1, so scripts can
 * parse either outcome from the same stream. For pull sources add --format hirefire|ebbflow,
 * --metric depth|latency, --process-type worker, --token T. Loopback and private hosts are
 * refused unless EBBFLOW_ALLOW_PRIVATE_TARGETS=1 (the default outside production, like
 * every other local run); --allow-private sets it for this run. For RabbitMQ (--backend
 * celery or amqp with an amqp:// URL) add --management-url https://… for unacknowledged
 * messages and the oldest message's age.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      backend: { type: "string" },
      url: { type: "string" },
      queues: { type: "string" },
      namespace: { type: "string" },
      prefix: { type: "string" },
      "management-url": { type: "string" },
      format: { type: "string" },
      metric: { type: "string" },
      "process-type": { type: "string" },
      token: { type: "string" },
      "allow-private": { type: "boolean", default: false },
    },
    strict: true,
  });
  const input = {
    backend: values.backend,
    url: values.url ?? "",
    queues: values.queues
      ?.split(",")
      .map((name) => name.trim())
      .filter(Boolean),
    namespace: values.namespace,
    prefix: values.prefix,
    managementUrl: values["management-url"],
    http:
      values.backend === "http"
        ? {
            format: values.format,
            hirefireMetric: values.metric,
            processType: values["process-type"],
            token: values.token,
          }
        : undefined,
  };
  if (values["allow-private"]) process.env.EBBFLOW_ALLOW_PRIVATE_TARGETS = "1";
  const result = await probeQueues(parseSource(input));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

main()
  .catch((error: unknown) => {
    const failure = isProbeError(error)
      ? error
      : new ProbeError("invalid_config", error instanceof Error ? error.message : String(error));
    process.stdout.write(`${JSON.stringify(failure.toJSON())}\n`);
    return 1;
  })
  .then(async (code) => {
    await closeProbeConnections();
    process.exit(code);
  });

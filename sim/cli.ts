import { parseArgs } from "node:util";
import { z } from "zod";
import { startTraceDemo, demoAppName, type TraceDemo } from "./cli/trace-demo";
import { RealClock } from "./clock";
import { randomHex } from "./ids";
import { deleteKeysWithPrefix } from "./jobs/delete-keys";
import { readTrace } from "./load/trace";
import { startSim } from "./start-sim";
import type { JobStoreSpec } from "./world/app-spec";

/**
 * `npm run sim [-- --trace FILE.jsonl --speed 10]`: the simulated Heroku on SIM_PORT (default
 * 5100, loopback only). With a trace it also creates a demo account and app, replays the
 * trace into the app's queue and reports depth, dynos and cost every few sim seconds.
 */

const usage = `Usage: npm run sim -- [options]
  --port N              port (default SIM_PORT or 5100; 0 picks a free one)
  --speed X             sim seconds per real second (default 1)
  --trace FILE          replay a JSON-lines job trace into a demo app
  --backend B           demo app's job library: sidekiq (default) or bullmq
  --sidekiq-version V   7 (float-second timestamps, default) or 8 (integer milliseconds)
  --redis-url URL       Redis for the demo app's queues (default REDIS_URL or redis://127.0.0.1:6379)
  --namespace NS        key namespace/prefix for the demo app (default: a random one, deleted on exit)
  --app NAME            demo app name (default: from the trace header, or ebbflow-demo)
  --quantity N          worker dynos at the start (default 1)
  --size S, --concurrency N, --boot-seconds S   override the trace header's dyno settings
  --boot-delay S        default boot delay of every dyno (default 30)
  --report-every S      sim seconds between report lines (default 10)
  --exit-when-done      exit once the trace has been replayed and every job has run
  --no-validate         do not check request bodies against Heroku's schema
`;

const numberArg = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return fallback;
      const parsed = Number(value);
      if (!Number.isFinite(parsed)) {
        context.addIssue({ code: "custom", message: `not a number: ${value}` });
        return z.NEVER;
      }
      return parsed;
    });

const argsSchema = z.object({
  port: numberArg(Number(process.env.SIM_PORT ?? 5100)),
  speed: numberArg(1).pipe(z.number().positive()),
  trace: z.string().optional(),
  backend: z.enum(["sidekiq", "bullmq"]).default("sidekiq"),
  "sidekiq-version": z.enum(["7", "8"]).default("7"),
  "redis-url": z.string().default(process.env.REDIS_URL ?? "redis://127.0.0.1:6379"),
  namespace: z.string().optional(),
  app: z.string().optional(),
  quantity: numberArg(1).pipe(z.number().int().min(0)),
  size: z.string().optional(),
  concurrency: z.string().optional().transform((value) => (value === undefined ? undefined : Number(value))),
  "boot-seconds": z.string().optional().transform((value) => (value === undefined ? undefined : Number(value))),
  "boot-delay": numberArg(30).pipe(z.number().min(0)),
  "report-every": numberArg(10).pipe(z.number().positive()),
  "exit-when-done": z.boolean().default(false),
  "no-validate": z.boolean().default(false),
  help: z.boolean().default(false),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      speed: { type: "string" },
      trace: { type: "string" },
      backend: { type: "string" },
      "sidekiq-version": { type: "string" },
      "redis-url": { type: "string" },
      namespace: { type: "string" },
      app: { type: "string" },
      quantity: { type: "string" },
      size: { type: "string" },
      concurrency: { type: "string" },
      "boot-seconds": { type: "string" },
      "boot-delay": { type: "string" },
      "report-every": { type: "string" },
      "exit-when-done": { type: "boolean" },
      "no-validate": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`${z.prettifyError(parsed.error)}\n\n${usage}`);
    process.exit(2);
  }
  const args = parsed.data;
  if (args.help) {
    console.log(usage);
    return;
  }

  const clock = new RealClock({ speed: args.speed });
  const sim = await startSim({
    port: args.port,
    clock,
    bootDelaySeconds: args["boot-delay"],
    validateRequests: !args["no-validate"],
  });
  console.log("Ebbflow simulated Heroku");
  console.log(`  Platform API  ${sim.apiUrl}`);
  console.log(`  ID (OAuth)    ${sim.idUrl}  (POST /oauth/token, GET /oauth/authorize)`);
  console.log(`  Admin API     ${sim.adminUrl}`);
  console.log(`  Clock         ${args.speed === 1 ? "real time" : `${args.speed}x real time`}`);

  let demo: TraceDemo | null = null;
  const generatedNamespace = args.namespace === undefined ? `ebbflow-sim-${randomHex(4)}` : null;
  const namespace = args.namespace ?? generatedNamespace ?? "";
  if (args.trace) {
    const trace = await readTrace(args.trace);
    const jobs: JobStoreSpec =
      args.backend === "sidekiq"
        ? { backend: "sidekiq", redisUrl: args["redis-url"], namespace, version: args["sidekiq-version"] === "8" ? 8 : 7 }
        : { backend: "bullmq", redisUrl: args["redis-url"], prefix: namespace };
    demo = await startTraceDemo({
      sim,
      trace,
      jobs,
      appName: args.app ?? demoAppName(trace, "ebbflow-demo"),
      initialQuantity: args.quantity,
      size: args.size,
      concurrency: args.concurrency,
      bootSeconds: args["boot-seconds"],
      reportEverySeconds: args["report-every"],
      print: (line) => console.log(line),
    });
    console.log(`  Demo app      ${demo.appName} (${args.backend}, namespace ${namespace}), ${trace.jobs.length} jobs`);
    console.log(`  Demo token    ${demo.accessToken}`);
  }

  let closing = false;
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    demo?.stop();
    await sim.close();
    if (generatedNamespace) await deleteKeysWithPrefix(generatedNamespace, args["redis-url"]).catch(() => undefined);
    process.exit(code);
  };
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));
  if (demo && args["exit-when-done"]) {
    await demo.finished;
    await shutdown(0);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import type { SimClock } from "../clock";
import { HttpRouter } from "../router/http-router";
import { WebDynos } from "../router/web-dynos";
import { dynoSizeOrThrow } from "../dyno-sizes";
import { createJobBackend } from "../jobs/create-job-backend";
import type { AppSpec, JobStoreSpec, ProcessTypeSpec } from "../world/app-spec";
import { AppRuntime } from "./app-runtime";
import type { DynoEvents } from "./dyno";
import type { ProcessTypeConfig } from "./process-type";

/** Platform timings shared by every app (each overridable per process type where it makes sense). */
export interface RuntimeSettings {
  bootDelaySeconds: number;
  shutdownGraceSeconds: number;
  heartbeatSeconds: number;
  pollIntervalSeconds: number;
  defaultJobSeconds: number;
  /**
   * Run `web` dynos' commands as real processes behind a router per app (`cwd`: where the
   * commands run). Only in-process (`startSim`), never from the admin API: it runs commands.
   */
  webProcesses?: { cwd: string } | null;
}

type ErrorSink = (error: unknown, context: string) => void;

function defaultCommand(spec: ProcessTypeSpec, jobs: JobStoreSpec | undefined): string {
  if (spec.type === "web") return "npm start";
  if (jobs?.backend === "sidekiq") return "bundle exec sidekiq";
  if (jobs?.backend === "bullmq") return "node dist/worker.js";
  return `bin/${spec.type}`;
}

function processTypeConfig(spec: ProcessTypeSpec, app: AppSpec, settings: RuntimeSettings): ProcessTypeConfig {
  const queues = spec.queues ?? (app.jobs && spec.type !== "web" ? ["default"] : []);
  return {
    type: spec.type,
    command: spec.command ?? defaultCommand(spec, app.jobs),
    size: dynoSizeOrThrow(spec.size),
    concurrency: spec.concurrency,
    queues,
    bootDelaySeconds: spec.bootDelaySeconds ?? settings.bootDelaySeconds,
    shutdownGraceSeconds: settings.shutdownGraceSeconds,
    pollIntervalSeconds: settings.pollIntervalSeconds,
  };
}

/** The app's router and web process host, when web dynos run for real and the app has a `web` type. */
async function startWebRouting(spec: AppSpec, settings: RuntimeSettings, configVars: () => Record<string, string>) {
  if (!settings.webProcesses || !spec.processTypes.some((processType) => processType.type === "web")) return null;
  const router = new HttpRouter();
  await router.listen();
  return { router, host: new WebDynos(router, { cwd: settings.webProcesses.cwd, configVars }) };
}

/** Builds an app's runtime (job backend, process types, router) and starts its initial formation. */
export async function buildAppRuntime(
  spec: AppSpec,
  clock: SimClock,
  settings: RuntimeSettings,
  onError: ErrorSink,
  onDynoChange?: DynoEvents["changed"],
  configVars: () => Record<string, string> = () => ({}),
): Promise<AppRuntime> {
  const configs = spec.processTypes.map((processType) => processTypeConfig(processType, spec, settings));
  const backend = spec.jobs ? createJobBackend(spec.jobs, { clock, ...settings, onError }) : null;
  const runtime = new AppRuntime(clock, backend, configs, onError, onDynoChange, await startWebRouting(spec, settings, configVars));
  await runtime.applyFormation(
    spec.processTypes.map((processType) => ({
      type: processType.type,
      quantity: processType.quantity,
      size: dynoSizeOrThrow(processType.size),
    })),
  );
  return runtime;
}

import { z } from "zod";
import { call, outcomeOf, type FormationOutcome, type HerokuTarget } from "@/lib/heroku/formation";

const dynoSchema = z.looseObject({ name: z.string(), type: z.string(), command: z.string(), state: z.string(), size: z.string() });
export type ListedDyno = z.infer<typeof dynoSchema>;

export type DynoList = { kind: "ok"; dynos: ListedDyno[] } | Exclude<FormationOutcome, { kind: "ok" }>;

/** Every dyno of the app (`GET /apps/{app}/dynos`): formation and one-off. */
export async function listAppDynos(target: HerokuTarget): Promise<DynoList> {
  let dynos: ListedDyno[] = [];
  const outcome = await outcomeOf(async () => {
    dynos = z.array(dynoSchema).parse(await call(target, "get", `/apps/${encodeURIComponent(target.appRef)}/dynos`));
    return { kind: "ok", quantities: {}, latencyMs: 0, clamped: null };
  });
  return outcome.kind === "ok" ? { kind: "ok", dynos } : outcome;
}

export interface OneOffStart {
  command: string;
  size: string;
  timeToLiveSeconds: number;
  processType: string;
}

/**
 * Starts one run-to-completion dyno (`POST /apps/{app}/dynos`, detached). `env` tells the
 * command which process type's queues it works; the answer's name (`run.4821`) is returned.
 */
export async function startOneOffDyno(target: HerokuTarget, start: OneOffStart): Promise<{ kind: "ok"; name: string; latencyMs: number } | Exclude<FormationOutcome, { kind: "ok" }>> {
  let name = "";
  const started = Date.now();
  const outcome = await outcomeOf(async () => {
    const body = {
      command: start.command,
      size: start.size,
      type: "run",
      time_to_live: start.timeToLiveSeconds,
      attach: false,
      env: { EBBFLOW_PROCESS_TYPE: start.processType },
    };
    name = dynoSchema.parse(await call(target, "post", `/apps/${encodeURIComponent(target.appRef)}/dynos`, body)).name;
    return { kind: "ok", quantities: {}, latencyMs: Date.now() - started, clamped: null };
  });
  return outcome.kind === "ok" ? { kind: "ok", name, latencyMs: outcome.latencyMs } : outcome;
}

import { z } from "zod";
import { findDynoSize } from "../dyno-sizes";
import { herokuErrors } from "../heroku-error";
import { oneOffLimit } from "../runtime/one-off-dynos";
import { json } from "../http/types";
import type { Dyno } from "../runtime/dyno";
import type { SimApp } from "../world/apps";
import { type ApiContext, type ApiRoute, param, requireApp } from "./api-access";
import { presentDyno } from "./presenters";

/** Starting and up dynos, by type then number: a dyno shutting down has left the list. */
function listed(app: SimApp): Dyno[] {
  return app.runtime
    .dynos()
    .filter((dyno) => dyno.state === "starting" || dyno.state === "up")
    .sort((a, b) => a.spec.type.localeCompare(b.spec.type) || a.spec.number - b.spec.number);
}

/** The dyno named (`worker.3`) or identified in the path, or Heroku's 404. */
function requireDyno(context: ApiContext, app: SimApp): Dyno {
  const ref = param(context, "dyno");
  const dyno = listed(app).find((d) => d.name === ref || d.id === ref);
  if (!dyno) throw herokuErrors.notFound("Couldn't find that dyno.");
  return dyno;
}

/** GET /apps/{app}/dynos */
export const listDynos: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    return json(200, listed(app).map((dyno) => presentDyno(app, dyno)));
  },
};

/** GET /apps/{app}/dynos/{dyno} */
export const getDyno: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    return json(200, presentDyno(app, requireDyno(context, app)));
  },
};

/**
 * DELETE /apps/{app}/dynos/{dyno}, and POST /apps/{app}/dynos/{dyno}/actions/stop, which on a
 * formation dyno also only restarts it (the formation brings it back). Heroku answers 202 with
 * an empty object; the old process gets SIGTERM and the usual grace, the new one boots.
 */
export const restartDyno: ApiRoute = {
  scope: "write",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    const dyno = requireDyno(context, app);
    // A one-off dyno has no formation to bring it back: restarting or stopping it ends it.
    if (!app.runtime.restartDyno(dyno.name)) void dyno.stop();
    return json(202, {});
  },
};

/** DELETE /apps/{app}/dynos: restarts every dyno of the app. */
export const restartAllDynos: ApiRoute = {
  scope: "write",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    for (const dyno of listed(app)) app.runtime.restartDyno(dyno.name);
    return json(202, {});
  },
};

const createSchema = z.object({
  command: z.string().min(1),
  size: z.string().optional(),
  type: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  time_to_live: z.number().int().min(1).max(86_400).optional(),
  env: z.record(z.string(), z.string()).optional(),
  attach: z.boolean().optional(),
  force_no_tty: z.boolean().nullable().optional(),
});

/**
 * POST /apps/{app}/dynos: a one-off dyno (detached; `attach` is accepted and ignored). It works
 * the queues of the process type named by `env.EBBFLOW_PROCESS_TYPE` (else the first with
 * queues); an exit-when-empty command ends it once it finds them empty. Above Heroku's
 * concurrent one-off limit for the size: 422 `cannot_run_above_limit`, nothing starts.
 */
export const createDyno: ApiRoute = {
  scope: "write",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    const parsed = createSchema.safeParse(context.body ?? {});
    if (!parsed.success) throw herokuErrors.invalidParams(`Invalid params: ${z.prettifyError(parsed.error)}`);
    const input = parsed.data;
    const firstType = [...app.runtime.processTypes.values()][0];
    const size = input.size ? findDynoSize(input.size) : firstType?.size;
    if (!size) throw herokuErrors.invalidParams(`No such dyno size: ${input.size ?? "(none)"}.`);
    const limit = oneOffLimit(size);
    if (app.runtime.oneOffs.runningOfSize(size) >= limit) {
      throw herokuErrors.cannotRunAboveLimit(`Cannot run more than ${limit} ${size.displayName} size one-off dynos.`, limit, size.displayName);
    }
    const named = input.env?.EBBFLOW_PROCESS_TYPE;
    const configs = [...app.runtime.processTypes.values()].map((p) => p.config);
    const worksLike = (named ? configs.find((c) => c.type === named) : undefined) ?? configs.find((c) => c.queues.length > 0);
    const dyno = app.runtime.oneOffs.start({
      command: input.command,
      size,
      type: input.type ?? "run",
      timeToLiveSeconds: input.time_to_live ?? 86_400,
      worksLike,
    });
    return json(201, presentDyno(app, dyno));
  },
};

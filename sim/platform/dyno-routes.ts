import { herokuErrors } from "../heroku-error";
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
    app.runtime.restartDyno(dyno.name);
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

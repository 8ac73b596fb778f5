import { herokuErrors } from "../heroku-error";
import { json } from "../http/types";
import { type ApiContext, type ApiRoute, param, requireApp } from "./api-access";
import { visibleApps } from "./addon-lookup";

import { presentApp, presentRelease } from "./presenters";

function appsAnswer(context: ApiContext) {
  const apps = visibleApps(context).sort((a, b) => a.name.localeCompare(b.name));
  return json(200, apps.map((app) => presentApp(app, context.world.accounts.get(app.ownerId))));
}

/** GET /apps: every app the token may see (`heroku apps --all`). */
export const listApps: ApiRoute = { scope: "read", handle: appsAnswer };

/** GET /users/~/apps: the account's own apps (`heroku apps`); the sim has no shared apps. */
export const listAccountApps: ApiRoute = { scope: "read", handle: appsAnswer };

/** GET /apps/{app}/config-vars: the app's config: vars set at creation and its add-ons'. */
export const getConfigVars: ApiRoute = {
  scope: "read",
  handle: (context) => json(200, context.world.configVars(requireApp(context, param(context, "app")).id)),
};

/** Heroku's `Range: version ..; max=15, order=desc`, which `heroku releases` sends. */
function parseRange(header: string | undefined): { max: number; descending: boolean } {
  const max = Number(/max=(\d+)/.exec(header ?? "")?.[1] ?? 200);
  return { max: Math.min(Math.max(max, 1), 1000), descending: /order=desc/.test(header ?? "") };
}

/**
 * GET /apps/{app}/releases: oldest first unless the Range asks otherwise; 206 with
 * `Next-Range` when more remain, as Heroku paginates.
 */
export const listReleases: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    const range = parseRange(typeof context.headers.range === "string" ? context.headers.range : undefined);
    const releases = context.world.releases.list(app.id);
    if (range.descending) releases.reverse();
    const page = releases.slice(0, range.max);
    const body = page.map((release) => presentRelease(app, release));
    if (page.length === releases.length) return json(200, body);
    const last = page.at(-1);
    return json(206, body, {
      "Next-Range": `version ${range.descending ? `..${(last?.version ?? 1) - 1}` : `${(last?.version ?? 0) + 1}..`}; max=${range.max}${range.descending ? ", order=desc" : ""}`,
    });
  },
};

/** GET /apps/{app}/pipeline-couplings: the sim has no pipelines, so 404 as for an uncoupled app. */
export const getPipelineCoupling: ApiRoute = {
  scope: "read",
  handle: (context) => {
    requireApp(context, param(context, "app"));
    throw herokuErrors.notFound("Couldn't find that pipeline coupling.");
  },
};

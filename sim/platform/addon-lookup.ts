import { HerokuError } from "../heroku-error";
import type { SimAddon, SimAddonService } from "../world/addons";
import type { SimApp } from "../world/apps";
import type { SimWorld } from "../world/sim-world";
import { type ApiContext, requireApp } from "./api-access";
import { presentAddon } from "./presenters";

/**
 * How the simulator finds add-ons the way Heroku's resolvers do, and presents them with the
 * extras the client asked for. Not-found answers name the `resource`, which the CLI reads.
 */

export function addonNotFound(): HerokuError {
  return new HerokuError(404, "not_found", "Couldn't find that add on.", { resource: "add_on" });
}

export function attachmentNotFound(): HerokuError {
  return new HerokuError(404, "not_found", "Couldn't find that add on attachment.", { resource: "add_on attachment" });
}

/** Apps the token may see: a user's own apps, or an add-on token's one app. */
export function visibleApps(context: ApiContext): SimApp[] {
  const principal = context.token.principal;
  return context.world.apps
    .list()
    .filter((app) => (principal.kind === "user" ? app.ownerId === principal.accountId : app.id === principal.appId));
}

/** Live add-ons on the apps the token may see. */
export function visibleAddons(context: ApiContext, app?: SimApp): SimAddon[] {
  const appIds = new Set((app ? [app] : visibleApps(context)).map((candidate) => candidate.id));
  return context.world.addons.live().filter((addon) => appIds.has(addon.appId));
}

/** An add-on of `app` by id or name (Heroku's add-on identity); 404 otherwise. */
export function requireAppAddon(context: ApiContext, app: SimApp, idOrName: string): SimAddon {
  const addon = visibleAddons(context, app).find((candidate) => candidate.id === idOrName || candidate.name === idOrName);
  if (!addon) throw addonNotFound();
  return addon;
}

/**
 * POST /actions/addons/resolve's matching: `app::name` or (with an app) an attachment name,
 * the add-on's id or name, or the add-on service's name; without an app, id or name only.
 */
export function resolveAddons(context: ApiContext, identifier: string, appName: string | undefined, serviceName: string | undefined): SimAddon[] {
  const scoped = /^(.+)::(.+)$/.exec(identifier);
  const appPart = scoped?.[1] ?? appName;
  const addonPart = scoped?.[2] ?? identifier;
  const world = context.world;
  let matches: SimAddon[];
  if (appPart) {
    const app = requireApp(context, appPart);
    matches = visibleAddons(context, app).filter(
      (addon) =>
        addon.id === addonPart ||
        addon.name === addonPart ||
        addon.attachment.name === addonPart ||
        world.addons.service(addon).name === addonPart,
    );
  } else {
    matches = visibleAddons(context).filter((addon) => addon.id === addonPart || addon.name === addonPart);
  }
  if (serviceName) matches = matches.filter((addon) => world.addons.service(addon).name === serviceName);
  return matches;
}

/** `service:plan` or `service` (its default plan) to a registered service and plan; 422 otherwise. */
export function resolvePlan(world: SimWorld, identity: string): { service: SimAddonService; plan: string } {
  const [serviceName = "", planName] = identity.split(":", 2);
  const service = world.addons.findService(serviceName);
  const plan = planName ?? service?.defaultPlan ?? undefined;
  if (!service || !plan || !(plan in service.planPricesCents)) {
    throw new HerokuError(422, "invalid_params", `Couldn't find either the add-on service or the add-on plan of "${identity}".`);
  }
  return { service, plan };
}

function headerValue(context: ApiContext, name: string): string {
  const value = context.headers[name];
  return (Array.isArray(value) ? value.join(",") : (value ?? "")).toLowerCase();
}

/** The add-on as Heroku answers it to this request (`Accept-Expansion`, legacy provider messages). */
export function addonForRequest(context: ApiContext, addon: SimAddon) {
  const app = context.world.apps.get(addon.appId);
  return presentAddon(addon, app, context.world.addons.service(addon), {
    baseUrl: context.world.baseUrl,
    expandPlan: expandsPlan(context),
    providerMessages: headerValue(context, "x-heroku-legacy-provider-messages") === "true",
  });
}

/** Whether the client asked for the plan expanded, which adds properties the schema does not list. */
export function expandsPlan(context: ApiContext): boolean {
  return headerValue(context, "accept-expansion")
    .split(",")
    .map((part) => part.trim())
    .includes("plan");
}

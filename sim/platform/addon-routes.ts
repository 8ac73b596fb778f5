import { z } from "zod";
import { herokuErrors } from "../heroku-error";
import { json } from "../http/types";
import type { SimAddon } from "../world/addons";
import { type ApiContext, type ApiRoute, param, requireAddon } from "./api-access";
import { presentAddon, presentAddonConfig } from "./presenters";

const configUpdateSchema = z.object({
  config: z.array(z.object({ name: z.string().min(1), value: z.string().nullable() })),
});

function present(context: ApiContext, addon: SimAddon) {
  const app = context.world.apps.get(addon.appId);
  return presentAddon(addon, app, context.world.addons.service(addon), { baseUrl: context.world.baseUrl });
}

/** GET /addons/{addon} */
export const getAddon: ApiRoute = {
  scope: "read",
  handle: (context) => json(200, present(context, requireAddon(context, param(context, "addon"), "reader"))),
};

/** GET /addons/{addon}/config */
export const listAddonConfig: ApiRoute = {
  scope: "provider",
  handle: (context) => json(200, presentAddonConfig(requireAddon(context, param(context, "addon"), "provider"))),
};

/** PATCH /addons/{addon}/config: sets the add-on's config vars on the app (null removes one). */
export const updateAddonConfig: ApiRoute = {
  scope: "provider",
  handle: (context) => {
    const addon = requireAddon(context, param(context, "addon"), "provider");
    const parsed = configUpdateSchema.safeParse(context.body);
    if (!parsed.success) throw herokuErrors.invalidParams(`Invalid params: ${z.prettifyError(parsed.error)}`);
    for (const { name, value } of parsed.data.config) {
      if (value === null) addon.configVars.delete(name);
      else addon.configVars.set(name, value);
    }
    addon.updatedAtMs = context.world.clock.now();
    recordConfigRelease(context, addon, parsed.data.config.map(({ name }) => name));
    return json(200, presentAddonConfig(addon));
  },
};

/** Heroku releases the app when an add-on changes its config vars: `Update EBBFLOW by ebbflow`. */
function recordConfigRelease(context: ApiContext, addon: SimAddon, names: string[]): void {
  const app = context.world.apps.find(addon.appId);
  if (!app || names.length === 0) return;
  const service = context.world.addons.service(addon);
  const addonPlanNames = context.world.addons
    .live()
    .filter((candidate) => candidate.appId === app.id)
    .map((candidate) => `${context.world.addons.service(candidate).name}:${candidate.plan}`);
  context.world.releases.record(
    app,
    { description: `Update ${names.join(", ")} by ${service.name}`, user: { id: addon.userId, email: `${service.name}@addons.heroku.com` }, addonPlanNames },
    context.world.clock.now(),
  );
}

/** POST /addons/{addon}/actions/provision: ends asynchronous provisioning. */
export const provisionAddon: ApiRoute = {
  scope: "provider",
  handle: (context) => {
    const addon = requireAddon(context, param(context, "addon"), "provider");
    if (addon.state === "deprovisioned") throw herokuErrors.invalidParams("This add-on has been deprovisioned.");
    addon.state = "provisioned";
    addon.updatedAtMs = context.world.clock.now();
    return json(200, present(context, addon));
  },
};

/** POST /addons/{addon}/actions/deprovision: ends asynchronous deprovisioning. */
export const deprovisionAddon: ApiRoute = {
  scope: "provider",
  handle: (context) => {
    const addon = requireAddon(context, param(context, "addon"), "provider");
    addon.state = "deprovisioned";
    addon.updatedAtMs = context.world.clock.now();
    context.world.webhooks.forgetAddon(addon.id);
    return json(200, present(context, addon));
  },
};

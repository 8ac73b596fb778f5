import { z } from "zod";
import { herokuErrors } from "../heroku-error";
import { json } from "../http/types";
import type { SimAddon } from "../world/addons";
import { type ApiContext, type ApiRoute, param, requireApp } from "./api-access";
import { addonForRequest, addonNotFound, expandsPlan, requireAppAddon, resolveAddons, resolvePlan, visibleAddons } from "./addon-lookup";
import { changePlanWithPartner, deprovisionWithPartner, provisionWithPartner, recordAddonRelease, requirePartner } from "./partner-calls";

/** A plan as the schema's plan identity: a name (or id) string, or an object with one. */
const planIdentitySchema = z.union([
  z.string().min(1),
  z.object({ id: z.string().optional(), name: z.string().optional() }).refine((plan) => plan.name ?? plan.id, "needs a name"),
]);

const createSchema = z.object({
  plan: planIdentitySchema,
  name: z.string().min(1).optional(),
  attachment: z.object({ name: z.string().min(1).optional() }).optional(),
  config: z.record(z.string(), z.union([z.string(), z.boolean()])).optional(),
  confirm: z.string().optional(),
});
const updateSchema = z.object({ plan: planIdentitySchema, name: z.string().optional() });
const resolveSchema = z.object({ addon: z.string().min(1), app: z.string().optional(), addon_service: z.string().optional() });

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw herokuErrors.invalidParams(`Invalid params: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function planName(identity: z.infer<typeof planIdentitySchema>): string {
  return typeof identity === "string" ? identity : (identity.name ?? identity.id ?? "");
}

function currentUser(context: ApiContext): { id: string; email: string } {
  const principal = context.token.principal;
  if (principal.kind !== "user") throw herokuErrors.forbidden("This endpoint is not available to add-on tokens.");
  const account = context.world.accounts.get(principal.accountId);
  return { id: account.id, email: account.email };
}

function answer(context: ApiContext, status: number, body: unknown) {
  return { ...json(status, body), extraProperties: expandsPlan(context) };
}

/** Heroku accepts `null` for the optional parts of a resolve request (the CLI sends `app: null`). */
export function dropNulls(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
}

/**
 * Heroku takes the plan as an object (`{"name": "service:plan"}`, what the CLI sends) as well
 * as the schema's string identity; the object becomes the string before validation.
 */
export function planAsIdentity(body: unknown): unknown {
  if (typeof body !== "object" || body === null || !("plan" in body)) return body;
  const plan = body.plan;
  if (typeof plan !== "object" || plan === null) return body;
  const name = "name" in plan && typeof plan.name === "string" ? plan.name : undefined;
  const id = "id" in plan && typeof plan.id === "string" ? plan.id : undefined;
  return name ?? id ? { ...body, plan: name ?? id } : body;
}

/**
 * POST /apps/{app}/addons (`heroku addons:create service:plan`): the add-on is created in the
 * `provisioning` state and the partner's provision call made at once, as Heroku does; a
 * synchronous partner answer makes it `provisioned` with the answer's config vars, a 202
 * leaves it `provisioning` until the partner calls `/addons/{id}/actions/provision`.
 */
export const createAppAddon: ApiRoute = {
  scope: "write",
  normalizeBody: planAsIdentity,
  handle: async (context) => {
    const app = requireApp(context, param(context, "app"));
    const user = currentUser(context);
    const input = parseBody(createSchema, context.body);
    const { service, plan } = resolvePlan(context.world, planName(input.plan));
    requirePartner(service);
    if (input.name && context.world.addons.find(input.name)) {
      throw herokuErrors.invalidParams(`Name ${input.name} is already taken by another add-on.`);
    }
    const attachmentName = input.attachment?.name ?? service.configVarsPrefix;
    if (visibleAddons(context, app).some((addon) => addon.attachment.name === attachmentName)) {
      // Heroku would pick another attachment name (EBBFLOW_COBALT); the sim has one attachment per name.
      throw herokuErrors.invalidParams(`${app.name} already has an add-on attached as ${attachmentName}; the simulator attaches one per name.`);
    }
    const addon = context.world.createAddon({ app: app.id, service: service.name, plan, name: input.name });
    addon.attachment.name = attachmentName;
    const options = Object.fromEntries(Object.entries(input.config ?? {}).map(([key, value]) => [key, String(value)]));
    try {
      await provisionWithPartner(context.world, addon, options);
    } catch (error) {
      addon.state = "deprovisioned";
      throw error;
    }
    recordAddonRelease(context.world, app, addon, "Attach", user);
    return answer(context, 201, addonForRequest(context, addon));
  },
};

/** GET /apps/{app}/addons */
export const listAppAddons: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    return answer(context, 200, visibleAddons(context, app).map((addon) => addonForRequest(context, addon)));
  },
};

/** GET /addons: the add-ons of every app the token may see. */
export const listAddons: ApiRoute = {
  scope: "read",
  handle: (context) => answer(context, 200, visibleAddons(context).map((addon) => addonForRequest(context, addon))),
};

/** GET /apps/{app}/addons/{addon}: what `addons:create --wait` polls. */
export const getAppAddon: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    return answer(context, 200, addonForRequest(context, requireAppAddon(context, app, param(context, "addon"))));
  },
};

/** PATCH /apps/{app}/addons/{addon} with `{"plan": "service:plan"}` (`heroku addons:upgrade`). */
export const updateAppAddon: ApiRoute = {
  scope: "write",
  normalizeBody: planAsIdentity,
  handle: async (context) => {
    const app = requireApp(context, param(context, "app"));
    const addon = requireAppAddon(context, app, param(context, "addon"));
    const input = parseBody(updateSchema, context.body);
    const { service, plan } = resolvePlan(context.world, planName(input.plan));
    if (service.id !== addon.serviceId) {
      throw herokuErrors.invalidParams(`Couldn't find either the add-on service or the add-on plan of "${planName(input.plan)}".`);
    }
    if (addon.state !== "provisioned") throw herokuErrors.invalidParams(`${addon.name} is ${addon.state}; its plan cannot change now.`);
    if (plan !== addon.plan) await changePlanWithPartner(context.world, addon, plan);
    return answer(context, 200, addonForRequest(context, addon));
  },
};

/** DELETE /apps/{app}/addons/{addon} (`heroku addons:destroy`): the partner's deprovision call, then detach. */
export const deleteAppAddon: ApiRoute = {
  scope: "write",
  handle: async (context) => {
    const app = requireApp(context, param(context, "app"));
    const user = currentUser(context);
    const addon = requireAppAddon(context, app, param(context, "addon"));
    await deprovisionWithPartner(context.world, addon);
    recordAddonRelease(context.world, app, addon, "Detach", user);
    return answer(context, 200, addonForRequest(context, addon));
  },
};

/** POST /actions/addons/resolve: every match (the CLI decides what several mean); 404 when none. */
export const resolveAddon: ApiRoute = {
  scope: "read",
  normalizeBody: dropNulls,
  handle: (context) => {
    const input = parseBody(resolveSchema, context.body);
    const matches: SimAddon[] = resolveAddons(context, input.addon, input.app, input.addon_service);
    if (matches.length === 0) throw addonNotFound();
    return answer(context, 200, matches.map((addon) => addonForRequest(context, addon)));
  },
};

import { z } from "zod";
import { herokuErrors } from "../heroku-error";
import { randomHex } from "../ids";
import { json } from "../http/types";
import { presentAddonWebhook, presentWebhookDelivery, presentWebhookEvent } from "../webhooks/webhook-payload";
import { webhookEntities, type SimWebhook } from "../webhooks/webhook-store";
import type { SimAddon } from "../world/addons";
import { type ApiContext, type ApiRoute, param, requireAddon } from "./api-access";

/**
 * Add-on webhooks (`/addons/{addon}/webhooks`, `…/webhook-deliveries`, `…/webhook-events`):
 * only the add-on's own token (the partner) may use them, as Heroku's schema says.
 */

const url = z.url({ protocol: /^https?$/, error: "url must be an http or https URL" });
const include = z
  .array(z.enum(webhookEntities, { error: (issue) => `${String(issue.input)} is not an entity webhooks can include` }))
  .min(1, "include needs at least one entity");
const fields = {
  include,
  level: z.enum(["notify", "sync"]),
  url,
  secret: z.string().min(1).nullable().optional(),
  authorization: z.string().min(1).nullable().optional(),
};
const createSchema = z.object(fields);
const updateSchema = z.object(fields).partial();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw herokuErrors.invalidParams(`Invalid params: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function partnerAddon(context: ApiContext): SimAddon {
  return requireAddon(context, param(context, "addon"), "provider");
}

function requireWebhook(context: ApiContext, addon: SimAddon): SimWebhook {
  const webhook = context.world.webhooks.find(addon.id, param(context, "webhook"));
  if (!webhook) throw herokuErrors.notFound("Couldn't find that webhook.");
  return webhook;
}

/** One subscription per URL and add-on, as Heroku refuses a second with the same URL. */
function refuseTakenUrl(context: ApiContext, addon: SimAddon, wanted: string, except?: string): void {
  if (context.world.webhooks.list(addon.id).some((webhook) => webhook.url === wanted && webhook.id !== except)) {
    throw herokuErrors.invalidParams("Url has already been taken by another webhook of this add-on.");
  }
}

/**
 * POST /addons/{addon}/webhooks. Without a `secret`, Heroku makes one and hands it back once,
 * in the `Heroku-Webhook-Secret` header.
 */
export const createAddonWebhook: ApiRoute = {
  scope: "provider",
  handle: (context) => {
    const addon = partnerAddon(context);
    const input = parse(createSchema, context.body);
    refuseTakenUrl(context, addon, input.url);
    const generated = input.secret ? null : randomHex(30);
    const webhook = context.world.webhooks.create(
      {
        addonId: addon.id,
        include: [...new Set(input.include)],
        level: input.level,
        url: input.url,
        secret: input.secret ?? generated ?? "",
        authorization: input.authorization ?? null,
      },
      context.world.clock.now(),
    );
    return json(201, presentAddonWebhook(webhook, addon), generated ? { "Heroku-Webhook-Secret": generated } : {});
  },
};

/** GET /addons/{addon}/webhooks */
export const listAddonWebhooks: ApiRoute = {
  scope: "provider",
  handle: (context) => {
    const addon = partnerAddon(context);
    return json(200, context.world.webhooks.list(addon.id).map((webhook) => presentAddonWebhook(webhook, addon)));
  },
};

/** GET /addons/{addon}/webhooks/{webhook} */
export const getAddonWebhook: ApiRoute = {
  scope: "provider",
  handle: (context) => {
    const addon = partnerAddon(context);
    return json(200, presentAddonWebhook(requireWebhook(context, addon), addon));
  },
};

/** PATCH /addons/{addon}/webhooks/{webhook}: changes what is sent; a new secret signs from the next delivery on. */
export const updateAddonWebhook: ApiRoute = {
  scope: "provider",
  handle: (context) => {
    const addon = partnerAddon(context);
    const webhook = requireWebhook(context, addon);
    const input = parse(updateSchema, context.body);
    if (input.url !== undefined) refuseTakenUrl(context, addon, input.url, webhook.id);
    if (input.include !== undefined) webhook.include = [...new Set(input.include)];
    if (input.level !== undefined) webhook.level = input.level;
    if (input.url !== undefined) webhook.url = input.url;
    if (input.secret) webhook.secret = input.secret;
    if (input.authorization !== undefined) webhook.authorization = input.authorization;
    webhook.updatedAtMs = context.world.clock.now();
    return json(200, presentAddonWebhook(webhook, addon));
  },
};

/** DELETE /addons/{addon}/webhooks/{webhook} */
export const deleteAddonWebhook: ApiRoute = {
  scope: "provider",
  handle: (context) => {
    const addon = partnerAddon(context);
    const webhook = requireWebhook(context, addon);
    context.world.webhooks.delete(webhook.id);
    return json(200, presentAddonWebhook(webhook, addon));
  },
};

function presentDelivery(context: ApiContext, delivery: Parameters<typeof presentWebhookDelivery>[0]) {
  const store = context.world.webhooks;
  return presentWebhookDelivery(delivery, store.eventOf(delivery), store.webhookOf(delivery));
}

/** GET /addons/{addon}/webhook-deliveries */
export const listAddonWebhookDeliveries: ApiRoute = {
  scope: "provider",
  handle: (context) => json(200, context.world.webhooks.listDeliveries(partnerAddon(context).id).map((delivery) => presentDelivery(context, delivery))),
};

/** GET /addons/{addon}/webhook-deliveries/{delivery} */
export const getAddonWebhookDelivery: ApiRoute = {
  scope: "provider",
  handle: (context) => {
    const delivery = context.world.webhooks.findDelivery(partnerAddon(context).id, param(context, "delivery"));
    if (!delivery) throw herokuErrors.notFound("Couldn't find that webhook delivery.");
    return json(200, presentDelivery(context, delivery));
  },
};

/** GET /addons/{addon}/webhook-events */
export const listAddonWebhookEvents: ApiRoute = {
  scope: "provider",
  handle: (context) => json(200, context.world.webhooks.listEvents(partnerAddon(context).id).map(presentWebhookEvent)),
};

/** GET /addons/{addon}/webhook-events/{event} */
export const getAddonWebhookEvent: ApiRoute = {
  scope: "provider",
  handle: (context) => {
    const event = context.world.webhooks.findEvent(partnerAddon(context).id, param(context, "event"));
    if (!event) throw herokuErrors.notFound("Couldn't find that webhook event.");
    return json(200, presentWebhookEvent(event));
  },
};

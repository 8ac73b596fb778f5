import { setTimeout as sleepReal } from "node:timers/promises";
import { z } from "zod";
import { HerokuDriver } from "../driver/heroku-driver";
import { provisionRequestFor } from "../driver/provision-request";
import { HerokuError } from "../heroku-error";
import type { AddonPartner, SimAddon, SimAddonService } from "../world/addons";
import type { SimApp } from "../world/apps";
import type { SimWorld } from "../world/sim-world";

/** Heroku gives a partner 30 seconds to answer a Partner API call. */
const partnerTimeoutMs = 30_000;

const provisionAnswerSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  config: z.record(z.string(), z.string()).optional(),
  message: z.string().optional(),
});
const messageAnswerSchema = z.looseObject({ message: z.string().optional() });

function driverFor(partner: AddonPartner): HerokuDriver {
  return new HerokuDriver({
    addonBaseUrl: partner.baseUrl,
    manifestId: partner.manifestId,
    password: partner.password,
    ssoSalt: partner.ssoSalt,
    ssoUrl: partner.ssoUrl,
    fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(partnerTimeoutMs) }),
  });
}

export function requirePartner(service: SimAddonService): AddonPartner {
  if (!service.partner) {
    throw new HerokuError(422, "invalid_params", `The ${service.name} add-on service has no Partner API registered with the simulator.`);
  }
  return service.partner;
}

/** What Heroku answers when the partner refuses or fails: the partner's message when it sent one. */
function partnerFailure(service: SimAddonService, action: string, status: number | null, body: unknown): HerokuError {
  const said = messageAnswerSchema.safeParse(body);
  const detail = said.success && said.data.message ? said.data.message : status === null ? "no answer" : `HTTP ${status}`;
  return new HerokuError(422, "invalid_params", `${service.name} could not ${action}: ${detail}`);
}

/** fetch's "fetch failed" says little; its cause (ECONNREFUSED, a timeout) says what happened. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}

/**
 * One partner call, tried a second time (after a second) when no answer came back at all: the
 * Partner API must be idempotent because Heroku repeats calls, and a reused keep-alive socket
 * that the partner closed fails before the partner ever sees the request.
 */
async function call<T>(service: SimAddonService, action: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch {
    await sleepReal(1000);
  }
  try {
    return await send();
  } catch (error) {
    throw new HerokuError(
      503,
      "service_unavailable",
      `${service.name} could not ${action}: ${describeFailure(error)}`,
    );
  }
}

/**
 * Sends the provision request and records the answer: 200/201 provisioned (config vars from
 * the answer), 202 provisioning until the partner calls `/addons/{id}/actions/provision`.
 */
export async function provisionWithPartner(world: SimWorld, addon: SimAddon, options: Record<string, string>): Promise<void> {
  const service = world.addons.service(addon);
  const driver = driverFor(requirePartner(service));
  const response = await call(service, "provision the add-on", () => driver.provision(provisionRequestFor(world, addon, options)));
  if (![200, 201, 202].includes(response.status)) throw partnerFailure(service, "provision the add-on", response.status, response.body);
  const answer = provisionAnswerSchema.safeParse(response.body);
  if (answer.success) {
    if (answer.data.id !== undefined) addon.providerId = String(answer.data.id);
    for (const [name, value] of Object.entries(answer.data.config ?? {})) addon.configVars.set(name, value);
    addon.provisionMessage = answer.data.message ?? null;
  }
  addon.state = response.status === 202 ? "provisioning" : "provisioned";
  addon.updatedAtMs = world.clock.now();
}

/** Heroku's plan change call; the add-on moves to the plan only when the partner agrees. */
export async function changePlanWithPartner(world: SimWorld, addon: SimAddon, plan: string): Promise<void> {
  const service = world.addons.service(addon);
  const driver = driverFor(requirePartner(service));
  const response = await call(service, "change the plan", () =>
    driver.changePlan(addon.id, { plan, heroku_id: `app${addon.appId}@heroku.com`, uuid: addon.id }),
  );
  if (response.status < 200 || response.status > 299) throw partnerFailure(service, "change the plan", response.status, response.body);
  const answer = messageAnswerSchema.safeParse(response.body);
  addon.provisionMessage = answer.success ? (answer.data.message ?? null) : null;
  addon.plan = plan;
  addon.updatedAtMs = world.clock.now();
}

/** Heroku's deprovision call; the add-on is gone once the partner answers 2xx (or 410, already gone). */
export async function deprovisionWithPartner(world: SimWorld, addon: SimAddon): Promise<void> {
  const service = world.addons.service(addon);
  const driver = driverFor(requirePartner(service));
  const response = await call(service, "deprovision the add-on", () => driver.deprovision(addon.id));
  if ((response.status < 200 || response.status > 299) && response.status !== 410) {
    throw partnerFailure(service, "deprovision the add-on", response.status, response.body);
  }
  addon.state = "deprovisioned";
  addon.updatedAtMs = world.clock.now();
  // Heroku removes a destroyed add-on's webhook subscriptions with it.
  world.webhooks.forgetAddon(addon.id);
}

/** `Attach EBBFLOW (@ref:ebbflow-rapid-river-12345)`, as Heroku describes add-on releases. */
export function recordAddonRelease(
  world: SimWorld,
  app: SimApp,
  addon: SimAddon,
  verb: "Attach" | "Detach",
  user: { id: string; email: string },
): void {
  const addonPlanNames = world.addons
    .live()
    .filter((candidate) => candidate.appId === app.id)
    .map((candidate) => `${world.addons.service(candidate).name}:${candidate.plan}`);
  world.releases.record(
    app,
    { description: `${verb} ${addon.attachment.name} (@ref:${addon.name})`, user, addonPlanNames },
    world.clock.now(),
  );
}

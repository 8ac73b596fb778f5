import { z } from "zod";
import type { Sim } from "../start-sim";
import type { SimAddon } from "../world/addons";
import type { DriverResponse, HerokuDriver, ProvisionRequest } from "./heroku-driver";
import { provisionRequestFor } from "./provision-request";

/** What a partner's provision answer may carry (Partner API v3). */
const provisionAnswerSchema = z.looseObject({ id: z.union([z.string(), z.number()]).optional() });

/** The provision request Heroku would send for `addon` (see provisionRequestFor). */
export function buildProvisionRequest(sim: Sim, addon: SimAddon, options: Record<string, string> = {}): ProvisionRequest {
  return provisionRequestFor(sim.world, addon, options);
}

/**
 * `heroku addons:create <service>:<plan> -a <app>` end to end: creates the add-on in the sim,
 * sends the provision request through the driver, and records the partner's answer (200/201
 * provisioned, 202 provisioning until the partner calls `/actions/provision`).
 */
export async function provisionThroughSim(
  sim: Sim,
  driver: HerokuDriver,
  input: { app: string; service: string; plan: string; options?: Record<string, string> },
): Promise<{ addon: SimAddon; request: ProvisionRequest; response: DriverResponse }> {
  const addon = sim.createAddon({ app: input.app, service: input.service, plan: input.plan });
  const request = buildProvisionRequest(sim, addon, input.options);
  const response = await driver.provision(request);
  if (response.status === 200 || response.status === 201 || response.status === 202) {
    const answer = provisionAnswerSchema.safeParse(response.body);
    const providerId = answer.success && answer.data.id !== undefined ? String(answer.data.id) : null;
    sim.world.markAddonProvisioned(addon.id, providerId, response.status === 202 ? "provisioning" : "provisioned");
  }
  return { addon, request, response };
}

import { newId } from "../ids";
import type { SimAddon } from "../world/addons";
import type { SimWorld } from "../world/sim-world";
import type { ProvisionRequest } from "./heroku-driver";

/** Heroku's region names in partner requests. */
const partnerRegions = { us: "amazon-web-services::us-east-1", eu: "amazon-web-services::eu-west-1" };

/**
 * The provision request Heroku sends for `addon`: a fresh `oauth_grant` (single use, 5
 * minutes), the add-on's callback URL on the simulator and log drain credentials.
 */
export function provisionRequestFor(world: SimWorld, addon: SimAddon, options: Record<string, string> = {}): ProvisionRequest {
  const app = world.apps.get(addon.appId);
  return {
    uuid: addon.id,
    name: addon.name,
    plan: addon.plan,
    region: partnerRegions[app.region],
    callback_url: `${world.baseUrl}/addons/${addon.id}`,
    oauth_grant: world.issueAddonGrant(addon.id),
    options,
    log_input_url: `https://token:t.${newId()}@1.us.logplex.io/logs`,
    log_drain_token: `d.${newId()}`,
  };
}

import { newId } from "../ids";

export type AddonState = "provisioning" | "provisioned" | "deprovisioned";

/**
 * Where Heroku reaches the partner, from its add-on manifest: `api.base_url` (Partner API
 * calls go to `<baseUrl>/heroku/resources`), `id` and `api.password` (HTTP Basic),
 * `api.sso_url` and `api.sso_salt` (single sign-on).
 */
export interface AddonPartner {
  baseUrl: string;
  manifestId: string;
  password: string;
  ssoSalt: string;
  ssoUrl: string;
}

/** An add-on service (the partner's product), with the OAuth client its grants belong to. */
export interface SimAddonService {
  id: string;
  name: string;
  oauthClientId: string;
  /** Monthly price of each plan in cents, for the add-on's `billed_price`; its keys are the plans. */
  planPricesCents: Record<string, number>;
  /** The plan `addons:create <service>` gets without `:plan` (default: the first plan). */
  defaultPlan: string | null;
  /** The partner's manifest; without it, add-ons are only created through the admin API. */
  partner: AddonPartner | null;
  /** Config vars the add-on sets start with this (`EBBFLOW` for `EBBFLOW_URL`); the default attachment's name. */
  configVarsPrefix: string;
}

export interface SimAddon {
  id: string;
  name: string;
  serviceId: string;
  appId: string;
  plan: string;
  planId: string;
  state: AddonState;
  /** The id the partner answered the provision request with. */
  providerId: string | null;
  /** The synthetic user the add-on's own token acts as. */
  userId: string;
  configVars: Map<string, string>;
  /** The add-on's one attachment to its app (Heroku's default: named after the config var prefix). */
  attachment: { id: string; name: string; createdAtMs: number };
  /** The partner's `message`, shown by the CLI when it asks for legacy provider messages. */
  provisionMessage: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

const adjectives = ["clear", "rapid", "quiet", "bright", "steady", "swift", "calm", "solid"];
const nouns = ["river", "harbor", "meadow", "summit", "canyon", "forest", "glacier", "delta"];

/** Heroku names add-ons `<service>-<adjective>-<number>`. */
function addonName(serviceName: string): string {
  const pick = (words: string[]) => words[Math.floor(Math.random() * words.length)] ?? words[0];
  return `${serviceName}-${pick(adjectives)}-${pick(nouns)}-${Math.floor(10000 + Math.random() * 89999)}`;
}

/** Add-on services and the add-ons provisioned from them. */
export class AddonStore {
  private readonly services = new Map<string, SimAddonService>();
  private readonly addons = new Map<string, SimAddon>();

  registerService(input: {
    name: string;
    oauthClientId: string;
    planPricesCents?: Record<string, number>;
    defaultPlan?: string;
    partner?: AddonPartner | null;
  }): SimAddonService {
    const existing = this.findService(input.name);
    if (existing) throw new Error(`add-on service ${input.name} already exists`);
    const planPricesCents = input.planPricesCents ?? {};
    const service: SimAddonService = {
      id: newId(),
      name: input.name,
      oauthClientId: input.oauthClientId,
      planPricesCents,
      defaultPlan: input.defaultPlan ?? Object.keys(planPricesCents)[0] ?? null,
      partner: input.partner ?? null,
      configVarsPrefix: input.name.toUpperCase().replace(/[^A-Z0-9]+/g, "_"),
    };
    this.services.set(service.id, service);
    return service;
  }

  findService(idOrName: string): SimAddonService | undefined {
    return this.services.get(idOrName) ?? [...this.services.values()].find((service) => service.name === idOrName);
  }

  create(input: { serviceId: string; appId: string; plan: string; name?: string }, nowMs: number): SimAddon {
    const service = this.services.get(input.serviceId);
    if (!service) throw new Error(`no add-on service ${input.serviceId}`);
    const addon: SimAddon = {
      id: newId(),
      name: input.name ?? addonName(service.name),
      serviceId: service.id,
      appId: input.appId,
      plan: input.plan,
      planId: newId(),
      state: "provisioning",
      providerId: null,
      userId: newId(),
      configVars: new Map(),
      attachment: { id: newId(), name: service.configVarsPrefix, createdAtMs: nowMs },
      provisionMessage: null,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    };
    this.addons.set(addon.id, addon);
    return addon;
  }

  find(idOrName: string): SimAddon | undefined {
    return this.addons.get(idOrName) ?? [...this.addons.values()].find((addon) => addon.name === idOrName);
  }

  /** Every add-on, in creation order (deprovisioned ones included). */
  list(): SimAddon[] {
    return [...this.addons.values()];
  }

  /** Heroku deletes an add-on's record once it is deprovisioned; the sim keeps it for the partner's late calls. */
  live(): SimAddon[] {
    return this.list().filter((addon) => addon.state !== "deprovisioned");
  }

  get(idOrName: string): SimAddon {
    const addon = this.find(idOrName);
    if (!addon) throw new Error(`no add-on ${idOrName}`);
    return addon;
  }

  service(addon: SimAddon): SimAddonService {
    const service = this.services.get(addon.serviceId);
    if (!service) throw new Error(`add-on ${addon.id} has no service`);
    return service;
  }
}

import { isoTime } from "../ids";
import type { Dyno } from "../runtime/dyno";
import type { ProcessType } from "../runtime/process-type";
import type { SimAccount } from "../world/accounts";
import type { SimAddon, SimAddonService } from "../world/addons";
import type { SimApp, SimCollaborator } from "../world/apps";
import type { SimRelease } from "../world/releases";

/**
 * Platform API resources in exactly the shape Heroku's schema publishes (every property
 * present, as `strictProperties` requires; null where the sim has nothing to say).
 */

const stack = { id: "ee582d3c-717d-4a57-ba5e-c55b4f3bd9d8", name: "heroku-24" };
const generation = { id: "2fbbd9ac-e6d1-4cde-a58d-8b9e4d6a1b6c", name: "cedar" };
const regions = {
  us: { id: "59accabd-516d-4f0e-83e6-6e3757701145", name: "us" },
  eu: { id: "ed30241c-ed8c-4bb6-9714-61953675d0b4", name: "eu" },
};

export function presentAccount(account: SimAccount, nowMs: number) {
  return {
    allow_tracking: true,
    beta: false,
    created_at: isoTime(account.createdAtMs),
    email: account.email,
    federated: false,
    id: account.id,
    identity_provider: null,
    last_login: isoTime(nowMs),
    name: account.name,
    sms_number: null,
    suspended_at: null,
    delinquent_at: null,
    two_factor_authentication: false,
    updated_at: isoTime(account.updatedAtMs),
    verified: true,
    country_of_residence: null,
    default_organization: null,
    default_team: null,
  };
}

export function presentApp(app: SimApp, owner: SimAccount) {
  return {
    acm: false,
    archived_at: null,
    buildpack_provided_description: app.runtime.backend?.kind === "sidekiq" ? "Ruby" : "Node.js",
    build_stack: stack,
    created_at: isoTime(app.createdAtMs),
    generation,
    git_url: `https://git.heroku.com/${app.name}.git`,
    id: app.id,
    internal_routing: null,
    maintenance: false,
    name: app.name,
    owner: { email: owner.email, id: owner.id },
    organization: null,
    team: null,
    region: regions[app.region],
    released_at: isoTime(app.release.createdAtMs),
    repo_size: null,
    slug_size: null,
    space: null,
    stack,
    updated_at: isoTime(app.updatedAtMs),
    web_url: `https://${app.webHost}.herokuapp.com/`,
  };
}

export function presentFormation(app: SimApp, processType: ProcessType) {
  return {
    app: { id: app.id, name: app.name },
    command: processType.config.command,
    created_at: isoTime(processType.createdAtMs),
    dyno_size: { id: processType.size.id, name: processType.size.displayName },
    id: processType.id,
    quantity: processType.quantity,
    size: processType.size.displayName,
    type: processType.type,
    updated_at: isoTime(processType.updatedAtMs),
  };
}

/** Only starting and up dynos are listed; a dyno shutting down has left the formation. */
export function presentDyno(app: SimApp, dyno: Dyno) {
  return {
    attach_url: null,
    command: dyno.spec.command,
    created_at: isoTime(dyno.createdAtMs),
    id: dyno.id,
    name: dyno.name,
    release: { id: app.release.id, version: app.release.version },
    app: { id: app.id, name: app.name },
    size: dyno.spec.size.displayName,
    state: dyno.state,
    type: dyno.spec.type,
    updated_at: isoTime(dyno.updatedAtMs),
  };
}

/**
 * Where `heroku addons:open` sends the browser: the simulator's stand-in for
 * addons-sso.heroku.com, which answers with the single sign-on form for the partner.
 */
export function addonWebUrl(baseUrl: string, app: SimApp, addon: SimAddon): string {
  return `${baseUrl}/addons-sso/apps/${app.id}/addons/${addon.id}`;
}

/**
 * Heroku's optional parts of an add-on answer: `Accept-Expansion: plan` expands the plan
 * (the CLI prints its price), `X-Heroku-Legacy-Provider-Messages: true` adds the partner's
 * message as `provision_message`.
 */
export interface AddonPresentation {
  baseUrl: string;
  expandPlan?: boolean;
  providerMessages?: boolean;
}

export function presentAddon(addon: SimAddon, app: SimApp, service: SimAddonService, options: AddonPresentation) {
  const cents = service.planPricesCents[addon.plan] ?? 0;
  const plan = { id: addon.planId, name: `${service.name}:${addon.plan}` };
  return {
    actions: [],
    addon_service: { id: service.id, name: service.name },
    billing_entity: { id: app.id, name: app.name, type: "app" },
    app: { id: app.id, name: app.name },
    billed_price: { cents, contract: false, unit: "month" },
    config_vars: [...addon.configVars.keys()],
    created_at: isoTime(addon.createdAtMs),
    id: addon.id,
    name: addon.name,
    plan: options.expandPlan ? { ...plan, price: { cents, contract: false, unit: "month" } } : plan,
    provider_id: addon.providerId ?? "",
    state: addon.state,
    updated_at: isoTime(addon.updatedAtMs),
    web_url: addonWebUrl(options.baseUrl, app, addon),
    ...(options.providerMessages && addon.provisionMessage ? { provision_message: addon.provisionMessage } : {}),
  };
}

/** The add-on's attachment to its app. */
export function presentAttachment(addon: SimAddon, app: SimApp, baseUrl: string) {
  return {
    addon: { id: addon.id, name: addon.name, app: { id: app.id, name: app.name } },
    app: { id: app.id, name: app.name },
    created_at: isoTime(addon.attachment.createdAtMs),
    id: addon.attachment.id,
    log_input_url: null,
    name: addon.attachment.name,
    namespace: null,
    updated_at: isoTime(addon.updatedAtMs),
    web_url: addonWebUrl(baseUrl, app, addon),
  };
}

export function presentRelease(app: SimApp, release: SimRelease) {
  return {
    addon_plan_names: release.addonPlanNames,
    artifacts: [],
    app: { id: app.id, name: app.name },
    created_at: isoTime(release.createdAtMs),
    current: release.id === app.release.id,
    description: release.description,
    eligible_for_rollback: release.id !== app.release.id,
    id: release.id,
    output_stream_url: null,
    slug: null,
    status: "succeeded",
    updated_at: isoTime(release.createdAtMs),
    user: release.user,
    version: release.version,
  };
}

export function presentAddonConfig(addon: SimAddon) {
  return [...addon.configVars.entries()].map(([name, value]) => ({ name, value }));
}

/**
 * A collaborator (GET /apps/{app}/collaborators). The app's owner is listed too, with the
 * role "owner", as Heroku lists it; collaborators of a personal app have the role "collaborator".
 */
export function presentCollaborator(app: SimApp, account: SimAccount, collaborator: SimCollaborator | null) {
  return {
    app: { id: app.id, name: app.name },
    created_at: isoTime(collaborator?.createdAtMs ?? app.createdAtMs),
    id: collaborator?.id ?? account.id,
    permissions: [],
    role: collaborator ? "collaborator" : "owner",
    updated_at: isoTime(collaborator?.updatedAtMs ?? app.updatedAtMs),
    user: { email: account.email, federated: false, id: account.id },
  };
}

import type { Logger } from "@/lib/log";
import type { SimClock } from "../clock";
import { FaultController } from "../faults";
import { isoTime, newId, randomHex } from "../ids";
import { RateLimiter, type RateLimitOptions } from "../rate-limiter";
import { buildAppRuntime, type RuntimeSettings } from "../runtime/build-app-runtime";
import type { AppStats } from "../runtime/app-runtime";
import { AccountStore, type SimAccount } from "./accounts";
import { type AddonPartner, AddonStore, type SimAddon, type SimAddonService } from "./addons";
import { appSpecSchema, type AppSpecInput } from "./app-spec";
import { AppStore, type SimApp, type SimCollaborator } from "./apps";
import { ResponseLog } from "../http/response-log";
import { ReleaseStore } from "./releases";
import { type IssuedToken, type OAuthClient, type OAuthScope, type OAuthSettings, OAuthStore, type Principal } from "./oauth";
import { planFormationUpdate, type RequestedChange } from "../platform/plan-formation-update";
import type { Dyno } from "../runtime/dyno";
import type { ProcessType } from "../runtime/process-type";
import { presentDyno, presentFormation } from "../platform/presenters";
import { WebhookDispatcher } from "../webhooks/webhook-dispatcher";
import { type WebhookActor, WebhookStore } from "../webhooks/webhook-store";

export interface WorldSettings extends RuntimeSettings, OAuthSettings {
  rateLimit: RateLimitOptions;
}

/**
 * An add-on service as its manifest describes it: `partner` (base URL, password, SSO salt)
 * lets the Platform API provision, change plans and deprovision through the partner, and
 * `planPricesCents` lists the plans.
 */
export interface AddonServiceInput {
  name: string;
  clientSecret?: string;
  planPricesCents?: Record<string, number>;
  defaultPlan?: string;
  partner?: { baseUrl: string; password: string; ssoSalt: string; manifestId?: string; ssoUrl?: string } | null;
}

/** The grant Heroku puts in a provision request's `oauth_grant`. */
export interface AddonGrant {
  code: string;
  expires_at: string;
  type: "authorization_code";
}

function partnerOf(serviceName: string, partner: NonNullable<AddonServiceInput["partner"]>): AddonPartner {
  const baseUrl = partner.baseUrl.replace(/\/+$/, "");
  return {
    baseUrl,
    manifestId: partner.manifestId ?? serviceName,
    password: partner.password,
    ssoSalt: partner.ssoSalt,
    ssoUrl: partner.ssoUrl ?? `${baseUrl}/heroku/sso`,
  };
}

/**
 * Everything the simulated Heroku knows: accounts, OAuth, apps with their running dynos,
 * add-ons, rate limits and faults. The HTTP layer and the in-process API both act on it.
 */
export class SimWorld {
  readonly accounts = new AccountStore();
  readonly apps = new AppStore();
  readonly addons = new AddonStore();
  readonly releases = new ReleaseStore();
  /** Add-on webhook subscriptions, their events and deliveries. */
  readonly webhooks = new WebhookStore();
  /** Sends webhook events to the subscriptions that include them. */
  readonly webhookSender: WebhookDispatcher;
  /** Recent Platform API responses, for tests in other processes to check against the schema. */
  readonly responseLog = new ResponseLog();
  /** The server's base URL once it listens: add-ons' callback and single sign-on URLs point here. */
  baseUrl = "http://127.0.0.1";
  readonly oauth: OAuthStore;
  readonly rateLimiter: RateLimiter;
  readonly faults: FaultController;
  /** The account `/oauth/authorize` approves for, standing in for a browser's Heroku session. */
  sessionAccountId: string | null = null;

  constructor(
    readonly clock: SimClock,
    readonly settings: WorldSettings,
    readonly logger: Logger,
    random: () => number = Math.random,
  ) {
    this.oauth = new OAuthStore(clock, settings);
    this.rateLimiter = new RateLimiter(clock, settings.rateLimit);
    this.faults = new FaultController(clock, random);
    this.webhookSender = new WebhookDispatcher({
      store: this.webhooks,
      clock,
      logger,
      liveAddonsOf: (appId) => this.addons.live().filter((addon) => addon.appId === appId),
    });
  }

  createAccount(input: { email?: string; name?: string | null } = {}): SimAccount {
    const account = this.accounts.create(input, this.clock.now());
    this.sessionAccountId ??= account.id;
    return account;
  }

  /** A token for `account`, as `heroku authorizations:create --scope ...` would make. */
  issueToken(accountIdOrEmail: string, scopes: OAuthScope[] = ["global"]): IssuedToken {
    const account = this.accounts.get(accountIdOrEmail);
    return this.oauth.issueToken({ principal: { kind: "user", accountId: account.id }, scopes });
  }

  registerOAuthClient(input: { id?: string; secret?: string; name?: string; redirectUri?: string | null } = {}): OAuthClient {
    return this.oauth.registerClient(input);
  }

  /** A user authorization code for `clientId`, as `/oauth/authorize` hands out. */
  issueAuthorizationCode(input: { account: string; clientId: string; scopes: OAuthScope[] }): { code: string; expiresAtMs: number } {
    const account = this.accounts.get(input.account);
    return this.oauth.issueGrant({
      principal: { kind: "user", accountId: account.id },
      scopes: input.scopes,
      clientId: input.clientId,
    });
  }

  async createApp(input: AppSpecInput): Promise<SimApp> {
    const spec = appSpecSchema.parse(input);
    const owner = this.accounts.get(spec.owner);
    const name = spec.name ?? `app-${randomHex(5)}`;
    if (this.apps.find(name)) throw new Error(`an app named ${name} already exists`);
    const now = this.clock.now();
    // The app exists once its runtime has started its first formation; dyno events before that have nobody to go to.
    const created: { app?: SimApp } = {};
    const runtime = await buildAppRuntime(spec, this.clock, this.settings, this.reportError, (dyno, action) => {
      if (created.app) this.publishDynoEvent(created.app, dyno, action);
    }, () => this.configVars(name));
    const app = this.apps.add({
      id: newId(),
      name,
      ownerId: owner.id,
      collaborators: new Map(),
      region: spec.region,
      createdAtMs: now,
      updatedAtMs: now,
      release: { id: newId(), version: 1, createdAtMs: now },
      webHost: `${name}-${randomHex(6)}`,
      config: spec.config,
      runtime,
    });
    this.releases.record(app, { description: "Initial release", user: { id: owner.id, email: owner.email }, addonPlanNames: [] }, now);
    created.app = app;
    return app;
  }

  /**
   * Changes an app's formation as Heroku does (checked whole, then applied) and sends the
   * `api:formation` update of each process type whose quantity or size changed. Every path
   * that scales (the Platform API, the admin API) comes through here.
   */
  async scaleFormation(app: SimApp, changes: RequestedChange[], actor: WebhookActor): Promise<ProcessType[]> {
    const refusal = this.faults.formationFault();
    if (refusal) throw refusal;
    const processTypes = [...app.runtime.processTypes.values()];
    const before = new Map(processTypes.map((processType) => [processType.type, { quantity: processType.quantity, size: processType.size }]));
    const planned = planFormationUpdate(
      processTypes.map((processType) => ({ type: processType.type, id: processType.id, quantity: processType.quantity, size: processType.size })),
      changes,
    );
    await app.runtime.applyFormation(planned);
    app.updatedAtMs = this.clock.now();
    return planned.map((change) => {
      const processType = app.runtime.processTypes.get(change.type);
      if (!processType) throw new Error(`process type ${change.type} vanished`);
      const previous = before.get(change.type);
      const previousData: Record<string, unknown> = {};
      if (previous && previous.quantity !== processType.quantity) previousData.quantity = previous.quantity;
      if (previous && previous.size.name !== processType.size.name) previousData.size = previous.size.displayName;
      if (Object.keys(previousData).length > 0) {
        this.webhookSender.publish({ app, include: "api:formation", action: "update", resource: "formation", actor, data: presentFormation(app, processType), previousData });
      }
      return processType;
    });
  }

  /** Who a token acts as, in a webhook event's `actor`: its user, or the add-on's service address. */
  actorFor(principal: Principal): WebhookActor {
    if (principal.kind === "user") {
      const account = this.accounts.get(principal.accountId);
      return { id: account.id, email: account.email };
    }
    const addon = this.addons.get(principal.addonId);
    return { id: addon.userId, email: `${this.addons.service(addon).name}@addons.heroku.com` };
  }

  /** `api:dyno` events: a dyno created, changing state, and gone; Heroku's platform is the actor, shown as the app's owner. */
  private publishDynoEvent(app: SimApp, dyno: Dyno, action: "create" | "update" | "destroy"): void {
    const owner = this.accounts.get(app.ownerId);
    this.webhookSender.publish({ app, include: "api:dyno", action, resource: "dyno", actor: { id: owner.id, email: owner.email }, data: presentDyno(app, dyno) });
  }

  /** The app's config vars: those set at creation, then its live add-ons' (`EBBFLOW_URL`). */
  configVars(appIdOrName: string): Record<string, string> {
    const app = this.apps.get(appIdOrName);
    const config = { ...app.config };
    for (const addon of this.addons.live()) {
      if (addon.appId !== app.id) continue;
      for (const [name, value] of addon.configVars) config[name] = value;
    }
    return config;
  }

  /** Gives an account access to an app (`heroku access:add`); adding twice changes nothing. */
  addCollaborator(appIdOrName: string, accountIdOrEmail: string): SimCollaborator {
    const app = this.apps.get(appIdOrName);
    const account = this.accounts.get(accountIdOrEmail);
    if (account.id === app.ownerId) throw new Error(`${account.email} owns ${app.name}`);
    const existing = app.collaborators.get(account.id);
    if (existing) return existing;
    const now = this.clock.now();
    const collaborator: SimCollaborator = { id: newId(), accountId: account.id, createdAtMs: now, updatedAtMs: now };
    app.collaborators.set(account.id, collaborator);
    return collaborator;
  }

  /** Takes an account's access away (`heroku access:remove`); the removed collaborator, if any. */
  removeCollaborator(appIdOrName: string, accountIdOrEmail: string): SimCollaborator | undefined {
    const app = this.apps.get(appIdOrName);
    const account = this.accounts.get(accountIdOrEmail);
    const collaborator = app.collaborators.get(account.id);
    app.collaborators.delete(account.id);
    return collaborator;
  }

  /**
   * Registers an add-on service (the partner's product) with its OAuth client; the client's
   * secret is what the partner exchanges provision grants with.
   */
  registerAddonService(input: AddonServiceInput): { service: SimAddonService; client: OAuthClient } {
    const client = this.oauth.registerClient({ secret: input.clientSecret, name: `${input.name} partner client` });
    const service = this.addons.registerService({
      name: input.name,
      oauthClientId: client.id,
      planPricesCents: input.planPricesCents,
      defaultPlan: input.defaultPlan,
      partner: input.partner ? partnerOf(input.name, input.partner) : null,
    });
    return { service, client };
  }

  /** An add-on attached to `app`, in the `provisioning` state until the partner answers. */
  createAddon(input: { app: string; service: string; plan: string; name?: string }): SimAddon {
    const app = this.apps.get(input.app);
    const service = this.addons.findService(input.service);
    if (!service) throw new Error(`no add-on service ${input.service}`);
    return this.addons.create({ serviceId: service.id, appId: app.id, plan: input.plan, name: input.name }, this.clock.now());
  }

  /** The `oauth_grant` of a provision request: exchangeable once, for 5 minutes, with the service's secret. */
  issueAddonGrant(addonIdOrName: string): AddonGrant {
    const addon = this.addons.get(addonIdOrName);
    const service = this.addons.service(addon);
    const grant = this.oauth.issueGrant({
      principal: { kind: "addon", addonId: addon.id, appId: addon.appId, userId: addon.userId },
      scopes: ["global"],
      clientId: service.oauthClientId,
    });
    return { code: grant.code, expires_at: isoTime(grant.expiresAtMs), type: "authorization_code" };
  }

  /** Records what the partner answered to the provision request. */
  markAddonProvisioned(addonIdOrName: string, providerId: string | null, state: SimAddon["state"] = "provisioned"): SimAddon {
    const addon = this.addons.get(addonIdOrName);
    addon.providerId = providerId ?? addon.providerId;
    addon.state = state;
    addon.updatedAtMs = this.clock.now();
    return addon;
  }

  appStats(appIdOrName: string): AppStats {
    return this.apps.get(appIdOrName).runtime.stats();
  }

  /** Stops every dyno (jobs in progress go back on their queues) and closes Redis connections. */
  async close(): Promise<void> {
    await Promise.all(this.apps.list().map((app) => app.runtime.close()));
  }

  readonly reportError = (error: unknown, context: string): void => {
    this.logger.warn({ err: error, context }, "simulator background error");
  };
}

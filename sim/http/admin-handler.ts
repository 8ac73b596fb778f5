import { z } from "zod";
import { ManualClock } from "../clock";
import { faultInputSchema } from "../faults";
import { HerokuError } from "../heroku-error";
import { isoTime } from "../ids";
import { rateLimitKey } from "../platform/rate-limit-key";
import { appSpecSchema } from "../world/app-spec";
import { oauthScopes } from "../world/oauth";
import type { SimWorld } from "../world/sim-world";
import { RouteTable } from "./route-table";
import { json, type SimRequest, type SimResponse } from "./types";

/**
 * The simulator's own admin API under `/__sim` (JSON, no auth: the sim binds to 127.0.0.1).
 * It mirrors the in-process methods so a demo or another process can set up the world.
 */
interface AdminContext {
  world: SimWorld;
  params: Record<string, string>;
  body: unknown;
  query: URLSearchParams;
  urls: { apiUrl: string; idUrl: string };
}

type AdminRoute = (context: AdminContext) => SimResponse | Promise<SimResponse>;

const scopesSchema = z.array(z.enum(oauthScopes)).min(1);

const schemas = {
  account: z.object({ email: z.email().optional(), name: z.string().optional() }).strict(),
  token: z.object({ account: z.string().min(1), scopes: scopesSchema.default(["global"]) }).strict(),
  client: z
    .object({ id: z.string().optional(), secret: z.string().optional(), name: z.string().optional(), redirectUri: z.url().optional() })
    .strict(),
  code: z.object({ account: z.string().min(1), clientId: z.string().min(1), scopes: scopesSchema.default(["global"]) }).strict(),
  session: z.object({ account: z.string().min(1) }).strict(),
  jobs: z
    .object({ queue: z.string().min(1).default("default"), duration: z.number().min(0), count: z.number().int().min(1).max(100_000).default(1) })
    .strict(),
  service: z
    .object({
      name: z.string().min(1),
      clientSecret: z.string().optional(),
      planPricesCents: z.record(z.string(), z.number().int()).optional(),
      defaultPlan: z.string().optional(),
      partner: z
        .object({
          baseUrl: z.url(),
          password: z.string().min(1),
          ssoSalt: z.string().min(1),
          manifestId: z.string().optional(),
          ssoUrl: z.url().optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  addon: z.object({ app: z.string().min(1), service: z.string().min(1), plan: z.string().min(1), name: z.string().optional() }).strict(),
  provisioned: z
    .object({ providerId: z.string().optional(), state: z.enum(["provisioning", "provisioned", "deprovisioned"]).optional() })
    .strict(),
  advance: z.object({ seconds: z.number().min(0) }).strict(),
  rateLimit: z.object({ remaining: z.number().int().min(0) }).strict(),
  collaborator: z.object({ account: z.string().min(1) }).strict(),
  formation: z
    .object({ updates: z.array(z.object({ type: z.string().min(1), quantity: z.number().int().min(0).optional(), size: z.string().optional() }).strict()).min(1) })
    .strict(),
};

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  return schema.parse(body ?? {});
}

function param(context: AdminContext, name: string): string {
  return context.params[name] ?? "";
}

function tokenBody(issued: ReturnType<SimWorld["issueToken"]>) {
  return {
    access_token: issued.accessToken,
    expires_in: issued.expiresInSeconds,
    refresh_token: issued.refreshToken,
    token_type: "Bearer",
    user_id: issued.userId,
    scope: issued.scopes,
  };
}

async function appSummary(world: SimWorld, idOrName: string) {
  const app = world.apps.get(idOrName);
  const queues = [...new Set([...app.runtime.processTypes.values()].flatMap((processType) => processType.config.queues))];
  const depths = Object.fromEntries(
    await Promise.all(queues.map(async (queue) => [queue, await app.runtime.queueDepth([queue])] as const)),
  );
  return { id: app.id, name: app.name, ownerId: app.ownerId, queueDepth: depths, stats: app.runtime.stats() };
}

const routes = new RouteTable<AdminRoute>()
  .add("GET", "/__sim", ({ world, urls }) =>
    json(200, {
      ...urls,
      clock: { now: isoTime(world.clock.now()), nowMs: world.clock.now(), speed: world.clock.speed },
      accounts: world.accounts.list().map(({ id, email }) => ({ id, email })),
      apps: world.apps.list().map(({ id, name, ownerId }) => ({ id, name, ownerId })),
      faults: world.faults.current(),
    }),
  )
  .add("POST", "/__sim/accounts", ({ world, body }) => json(201, world.createAccount(parse(schemas.account, body))))
  .add("POST", "/__sim/tokens", ({ world, body }) => {
    const input = parse(schemas.token, body);
    return json(201, tokenBody(world.issueToken(input.account, input.scopes)));
  })
  .add("POST", "/__sim/oauth-clients", ({ world, body }) => json(201, world.registerOAuthClient(parse(schemas.client, body))))
  .add("POST", "/__sim/authorization-codes", ({ world, body }) => {
    const grant = world.issueAuthorizationCode(parse(schemas.code, body));
    return json(201, { code: grant.code, expires_at: isoTime(grant.expiresAtMs) });
  })
  .add("PUT", "/__sim/session", ({ world, body }) => {
    world.sessionAccountId = world.accounts.get(parse(schemas.session, body).account).id;
    return json(200, { account: world.sessionAccountId });
  })
  .add("POST", "/__sim/apps", async ({ world, body }) => {
    const app = await world.createApp(appSpecSchema.parse(body));
    return json(201, await appSummary(world, app.id));
  })
  .add("GET", "/__sim/apps/:app", async (context) => json(200, await appSummary(context.world, param(context, "app"))))
  // A formation change made outside the Platform API (as the app's owner), webhooks and all.
  .add("PATCH", "/__sim/apps/:app/formation", async (context) => {
    const input = parse(schemas.formation, context.body);
    const app = context.world.apps.get(param(context, "app"));
    await context.world.scaleFormation(app, input.updates, context.world.actorFor({ kind: "user", accountId: app.ownerId }));
    return json(200, await appSummary(context.world, app.id));
  })
  .add("POST", "/__sim/apps/:app/jobs", async (context) => {
    const input = parse(schemas.jobs, context.body);
    const backend = context.world.apps.get(param(context, "app")).runtime.backend;
    if (!backend) return json(409, { id: "conflict", message: "This app has no job store." });
    const ids: string[] = [];
    for (let index = 0; index < input.count; index += 1) {
      ids.push(await backend.enqueue({ queue: input.queue, durationSeconds: input.duration }));
    }
    return json(201, { enqueued: ids.length, ids });
  })
  .add("POST", "/__sim/addon-services", ({ world, body }) => {
    const { service, client } = world.registerAddonService(parse(schemas.service, body));
    const { partner, ...described } = service;
    // The partner's password and salt stay in the sim; the admin answer says only where it calls.
    return json(201, { ...described, partner: partner ? { baseUrl: partner.baseUrl, ssoUrl: partner.ssoUrl } : null, clientSecret: client.secret });
  })
  .add("POST", "/__sim/addons", ({ world, body }) => {
    const addon = world.createAddon(parse(schemas.addon, body));
    return json(201, { ...addon, configVars: Object.fromEntries(addon.configVars) });
  })
  .add("GET", "/__sim/addons/:addon", (context) => {
    const addon = context.world.addons.get(param(context, "addon"));
    return json(200, { ...addon, configVars: Object.fromEntries(addon.configVars) });
  })
  .add("POST", "/__sim/addons/:addon/grant", (context) => json(201, context.world.issueAddonGrant(param(context, "addon"))))
  .add("POST", "/__sim/addons/:addon/provisioned", (context) => {
    const input = parse(schemas.provisioned, context.body);
    const addon = context.world.markAddonProvisioned(param(context, "addon"), input.providerId ?? null, input.state);
    return json(200, { ...addon, configVars: Object.fromEntries(addon.configVars) });
  })
  .add("POST", "/__sim/apps/:app/collaborators", (context) => {
    const input = parse(schemas.collaborator, context.body);
    return json(201, context.world.addCollaborator(param(context, "app"), input.account));
  })
  .add("DELETE", "/__sim/apps/:app/collaborators/:account", (context) => {
    const removed = context.world.removeCollaborator(param(context, "app"), param(context, "account"));
    return removed ? json(200, removed) : json(404, { id: "not_found", message: "That account is not a collaborator." });
  })
  .add("GET", "/__sim/api-responses", ({ world, query }) => {
    const after = Number(query.get("after") ?? 0);
    return json(200, world.responseLog.since(Number.isFinite(after) ? after : 0));
  })
  .add("GET", "/__sim/faults", ({ world }) => json(200, world.faults.current()))
  .add("PUT", "/__sim/faults", ({ world, body }) => json(200, world.faults.set(parse(faultInputSchema, body))))
  .add("DELETE", "/__sim/faults", ({ world }) => json(200, world.faults.clear()))
  .add("GET", "/__sim/clock", ({ world }) => json(200, { nowMs: world.clock.now(), now: isoTime(world.clock.now()), speed: world.clock.speed }))
  .add("POST", "/__sim/clock/advance", async ({ world, body }) => {
    if (!(world.clock instanceof ManualClock)) return json(409, { id: "conflict", message: "The clock is not manual." });
    await world.clock.advanceSeconds(parse(schemas.advance, body).seconds);
    return json(200, { nowMs: world.clock.now(), now: isoTime(world.clock.now()) });
  })
  .add("PUT", "/__sim/rate-limits/:account", (context) => {
    const account = context.world.accounts.get(param(context, "account"));
    const key = rateLimitKey({ kind: "user", accountId: account.id });
    context.world.rateLimiter.set(key, parse(schemas.rateLimit, context.body).remaining);
    return json(200, { remaining: context.world.rateLimiter.remaining(key) });
  });

export async function handleAdminRequest(
  world: SimWorld,
  request: SimRequest,
  urls: { apiUrl: string; idUrl: string },
): Promise<SimResponse> {
  const match = routes.match(request.method, request.path);
  if (!match) return json(404, { id: "not_found", message: `No admin route ${request.method} ${request.path}.` });
  let body: unknown;
  try {
    body = request.rawBody ? JSON.parse(request.rawBody) : undefined;
  } catch {
    return json(400, { id: "bad_request", message: "Body is not valid JSON." });
  }
  try {
    return await match.handler({ world, params: match.params, body, query: request.query, urls });
  } catch (error) {
    if (error instanceof z.ZodError) return json(422, { id: "invalid_params", message: z.prettifyError(error) });
    if (error instanceof HerokuError) return json(error.status, error.toBody());
    const message = error instanceof Error ? error.message : String(error);
    return json(400, { id: "bad_request", message });
  }
}

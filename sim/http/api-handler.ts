import { setTimeout as sleepReal } from "node:timers/promises";
import { HerokuError, herokuErrors } from "../heroku-error";
import { type ApiRoute, checkScope } from "../platform/api-access";
import { anonymousRateLimitKey, rateLimitKey } from "../platform/rate-limit-key";
import type { HerokuSchema } from "../schema/heroku-schema";
import type { SimWorld } from "../world/sim-world";
import { bearerToken } from "./credentials";
import type { RouteTable } from "./route-table";
import type { SimRequest, SimResponse } from "./types";

export interface ApiHandlerDeps {
  world: SimWorld;
  routes: RouteTable<ApiRoute>;
  /** Request bodies are checked against the published schema when given. */
  schema: HerokuSchema | null;
}

/** Heroku serves v3 only to clients that ask for it. */
function acceptsVersion3(accept: string | undefined): boolean {
  return accept !== undefined && /application\/vnd\.heroku\+json;\s*version=3/i.test(accept);
}

function parseJsonBody(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw herokuErrors.badRequest();
  }
}

/**
 * One Platform API call, in Heroku's order: version header, credentials, rate limit, injected
 * faults, request schema, scope, then the route. Every answer carries `RateLimit-Remaining`.
 */
export async function handleApiRequest(request: SimRequest, deps: ApiHandlerDeps): Promise<SimResponse> {
  const { world } = deps;
  let limitKey = anonymousRateLimitKey(request.remoteAddress);
  let response: SimResponse;
  try {
    if (!acceptsVersion3(request.headers.accept)) throw herokuErrors.missingVersion();
    const match = deps.routes.match(request.method, request.path);
    const tokenValue = bearerToken(request.headers.authorization);
    if (!tokenValue) {
      world.rateLimiter.take(limitKey);
      throw herokuErrors.unauthorized();
    }
    const token = world.oauth.authenticate(tokenValue);
    limitKey = rateLimitKey(token.principal);
    if (!match) throw herokuErrors.missingVersion();
    if (!match.handler.free && !world.rateLimiter.take(limitKey)) throw herokuErrors.rateLimit();
    const latencyMs = world.faults.latencyMs();
    if (latencyMs > 0) await sleepReal(latencyMs);
    const fault = world.faults.requestFault();
    if (fault) throw fault;
    const parsedBody = parseJsonBody(request.rawBody);
    const body = match.handler.normalizeBody && parsedBody !== undefined ? match.handler.normalizeBody(parsedBody, { world, params: match.params }) : parsedBody;
    const link = deps.schema?.findLink(request.method, request.path);
    if (deps.schema && link && body !== undefined) {
      const errors = deps.schema.validateRequest(link, body);
      if (errors.length > 0) throw herokuErrors.invalidParams(`Invalid params: ${errors.join("; ")}`);
    }
    checkScope(token, match.handler.scope);
    response = await match.handler.handle({ world, token, params: match.params, body, headers: request.headers });
  } catch (error) {
    if (!(error instanceof HerokuError)) {
      world.logger.error({ err: error, method: request.method, path: request.path }, "simulated Platform API failed");
    }
    const herokuError = error instanceof HerokuError ? error : herokuErrors.internal();
    response = { status: herokuError.status, body: herokuError.toBody(), headers: herokuError.headers };
  }
  return {
    ...response,
    headers: { ...response.headers, "RateLimit-Remaining": String(world.rateLimiter.remaining(limitKey)) },
  };
}

import type { IncomingHttpHeaders } from "node:http";
import { herokuErrors } from "../heroku-error";
import type { SimResponse } from "../http/types";
import type { SimAddon } from "../world/addons";
import { hasAppAccess, type SimApp } from "../world/apps";
import type { AccessTokenRecord, OAuthScope } from "../world/oauth";
import type { SimWorld } from "../world/sim-world";

/**
 * What a Platform API route needs from the token, after Heroku's scope rules:
 * - `account`: the user's account (`identity` or `global`; `read`/`write` exclude account info);
 * - `read` / `write`: apps and their resources (`write` implies `read`);
 * - `provider`: the add-on's own token acting on its add-on (config vars, provisioning);
 * - `any`: any valid token (the token's own rate limit).
 */
export type RequiredScope = "account" | "read" | "write" | "provider" | "any";

export interface ApiContext {
  world: SimWorld;
  token: AccessTokenRecord;
  params: Record<string, string>;
  body: unknown;
  /** The request's headers (Heroku reads `Accept-Expansion`, `Range` and a few others). */
  headers: IncomingHttpHeaders;
}

export interface ApiRoute {
  scope: RequiredScope;
  /** Calls Heroku does not count against the rate limit (`GET /account/rate-limits`). */
  free?: boolean;
  /**
   * Rewrites what Heroku accepts beyond its published schema into the schema's form before
   * the body is validated (e.g. formation quantities sent as strings, as the CLI does).
   */
  normalizeBody?(body: unknown, request: { world: SimWorld; params: Record<string, string> }): unknown;
  handle(context: ApiContext): SimResponse | Promise<SimResponse>;
}

const accountScopes: OAuthScope[] = ["global", "identity"];
const readScopes: OAuthScope[] = ["global", "read", "write", "read-protected", "write-protected"];
const writeScopes: OAuthScope[] = ["global", "write", "write-protected"];

/** Throws 403 `forbidden` when the token's scopes or kind do not allow the route at all. */
export function checkScope(token: AccessTokenRecord, scope: RequiredScope): void {
  if (scope === "any") return;
  const has = (allowed: OAuthScope[]) => token.scopes.some((granted) => allowed.includes(granted));
  if (token.principal.kind === "addon") {
    if (scope === "read" || scope === "provider") return;
    throw herokuErrors.forbidden("This endpoint is not available to add-on tokens.");
  }
  if (scope === "provider") throw herokuErrors.forbidden("Only the add-on provider can perform this action.");
  const allowed = { account: accountScopes, read: readScopes, write: writeScopes }[scope];
  if (has(allowed)) return;
  throw herokuErrors.forbidden(
    `This OAuth authorization (scope: ${token.scopes.join(", ")}) does not allow this action; it needs one of: ${allowed.join(", ")}.`,
  );
}

export function param(context: ApiContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route has no :${name} parameter`);
  return value;
}

/** The app named in the path, if the token may see it: 404 unknown, 403 someone else's. */
export function requireApp(context: ApiContext, idOrName: string): SimApp {
  const app = context.world.apps.find(idOrName);
  if (!app) throw herokuErrors.notFound("Couldn't find that app.");
  const principal = context.token.principal;
  const allowed = principal.kind === "user" ? hasAppAccess(app, principal.accountId) : app.id === principal.appId;
  if (!allowed) throw herokuErrors.forbidden(`You do not have access to the app ${app.name}.`);
  return app;
}

/**
 * The add-on named in the path: its app's owner may read it; only the add-on's own token may
 * act as its provider.
 */
export function requireAddon(context: ApiContext, idOrName: string, as: "reader" | "provider"): SimAddon {
  const addon = context.world.addons.find(idOrName);
  if (!addon) throw herokuErrors.notFound("Couldn't find that add on.");
  const principal = context.token.principal;
  if (principal.kind === "addon") {
    if (principal.addonId !== addon.id) throw herokuErrors.forbidden("You do not have access to this add-on.");
    return addon;
  }
  if (as === "provider") throw herokuErrors.forbidden("Only the add-on provider can perform this action.");
  const app = context.world.apps.find(addon.appId);
  if (!app || !hasAppAccess(app, principal.accountId)) throw herokuErrors.forbidden("You do not have access to this add-on.");
  return addon;
}

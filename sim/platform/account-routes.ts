import { herokuErrors } from "../heroku-error";
import { json } from "../http/types";
import { type ApiContext, type ApiRoute, param, requireApp } from "./api-access";
import { presentAccount, presentApp } from "./presenters";
import { rateLimitKey } from "./rate-limit-key";

function currentAccount(context: ApiContext) {
  const principal = context.token.principal;
  if (principal.kind !== "user") throw herokuErrors.forbidden("Add-on tokens have no account.");
  const account = context.world.accounts.find(principal.accountId);
  if (!account) throw herokuErrors.unauthorized();
  return account;
}

/** GET /account */
export const getAccount: ApiRoute = {
  scope: "account",
  handle: (context) => json(200, presentAccount(currentAccount(context), context.world.clock.now())),
};

/** GET /account/rate-limits: free, as on Heroku. */
export const getRateLimits: ApiRoute = {
  scope: "any",
  free: true,
  handle: (context) => json(200, { remaining: context.world.rateLimiter.remaining(rateLimitKey(context.token.principal)) }),
};

/** GET /apps/{app} */
export const getApp: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    const owner = context.world.accounts.get(app.ownerId);
    return json(200, presentApp(app, owner));
  },
};


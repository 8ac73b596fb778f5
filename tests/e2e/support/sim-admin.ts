import { plans } from "../../../lib/billing/plans";
import { LOCAL_SECRETS } from "../../../scripts/local-env";

/** The simulated Heroku's admin API, as the e2e run started it (playwright.config.ts). */
export function simUrl(): string {
  const url = process.env.E2E_SIM_URL;
  if (!url) throw new Error("E2E_SIM_URL is not set: run the end-to-end tests through playwright.config.ts");
  return url;
}

export async function simAdmin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${simUrl()}/__sim${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sim ${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Registers Ebbflow with the sim as Heroku knows it: the add-on service and the OAuth client. */
export async function registerEbbflow(baseUrl: string): Promise<void> {
  // The manifest Heroku holds: plans with prices, and where and how it calls Ebbflow.
  await simAdmin("POST", "/addon-services", {
    name: LOCAL_SECRETS.HEROKU_ADDON_ID,
    clientSecret: LOCAL_SECRETS.HEROKU_PARTNER_CLIENT_SECRET,
    planPricesCents: Object.fromEntries(Object.values(plans).map((plan) => [plan.name, plan.monthlyPriceCents])),
    defaultPlan: "hobby",
    partner: { baseUrl, password: LOCAL_SECRETS.HEROKU_ADDON_PASSWORD, ssoSalt: LOCAL_SECRETS.HEROKU_SSO_SALT },
  });
  await simAdmin("POST", "/oauth-clients", {
    id: LOCAL_SECRETS.HEROKU_OAUTH_ID,
    secret: LOCAL_SECRETS.HEROKU_OAUTH_SECRET,
    name: "Ebbflow",
    redirectUri: `${baseUrl}/api/auth/callback/heroku`,
  });
}

export interface SimAccount {
  id: string;
  email: string;
}

export interface SimApp {
  id: string;
  name: string;
}

export async function createAccountWithApp(label: string): Promise<{ account: SimAccount; app: SimApp }> {
  const account = await simAdmin<SimAccount>("POST", "/accounts", { email: `${label}-${Date.now()}@example.com` });
  const app = await simAdmin<SimApp>("POST", "/apps", {
    owner: account.id,
    processTypes: [{ type: "worker", size: "standard-1x", quantity: 0, concurrency: 5 }],
  });
  return { account, app };
}

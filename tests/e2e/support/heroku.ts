import { createHash, randomUUID } from "node:crypto";
import type { APIRequestContext, BrowserContext } from "@playwright/test";
import { LOCAL_SECRETS } from "../../../scripts/local-env";

/** Calls the add-on the way Heroku does, with the local manifest's credentials. */
export const partnerAuth = `Basic ${Buffer.from(`${LOCAL_SECRETS.HEROKU_ADDON_ID}:${LOCAL_SECRETS.HEROKU_ADDON_PASSWORD}`).toString("base64")}`;

export async function provisionAddon(request: APIRequestContext, plan = "standard"): Promise<{ resourceId: string; name: string }> {
  const resourceId = randomUUID();
  const name = `e2e-${resourceId.slice(0, 8)}`;
  const response = await request.post("/heroku/resources", {
    headers: { authorization: partnerAuth },
    data: { uuid: resourceId, plan, region: "amazon-web-services::us-east-1", name, options: {} },
  });
  if (response.status() !== 200) throw new Error(`provision failed: ${response.status()} ${await response.text()}`);
  return { resourceId, name };
}

export function ssoFields(resourceId: string, email: string, userId = randomUUID(), timestamp = Math.floor(Date.now() / 1000)) {
  const token = createHash("sha256")
    .update(`${resourceId}:${LOCAL_SECRETS.HEROKU_SSO_SALT}:${timestamp}:${userId}:${email}`)
    .digest("hex");
  return {
    resource_id: resourceId,
    timestamp: String(timestamp),
    user_id: userId,
    email,
    user_scoped_resource_token: token,
    app: "e2e-app",
    "nav-data": "e2e-nav-data",
  };
}

/** Signs `context` in through SSO for the resource; returns the tenant id it lands on. */
export async function signInWithSso(context: BrowserContext, resourceId: string, email: string): Promise<string> {
  const response = await context.request.post("/heroku/sso", { form: ssoFields(resourceId, email), maxRedirects: 0 });
  if (response.status() !== 303) throw new Error(`SSO failed: ${response.status()} ${await response.text()}`);
  const location = response.headers()["location"] ?? "";
  const tenantId = /\/apps\/([0-9a-f-]{36})$/.exec(location)?.[1];
  if (!tenantId) throw new Error(`SSO redirected to ${location}`);
  return tenantId;
}

import { HerokuDriver } from "../driver/heroku-driver";
import type { SimWorld } from "../world/sim-world";
import type { SimRequest, SimResponse } from "./types";

/**
 * The simulator's addons-sso.heroku.com: an add-on's `web_url` (what `heroku addons:open`
 * opens) answers the browser with an auto-submitting form that POSTs Heroku's single sign-on
 * fields to the partner's `sso_url`, tokens computed from the manifest's salt as Heroku
 * documents. The signed-in Heroku user is the sim's session account (`PUT /__sim/session`),
 * who must own the app. Timestamps are wall-clock seconds: the partner checks them against
 * its own clock, whatever speed the sim runs at.
 */
export const ssoPathPattern = /^\/addons-sso\/apps\/([^/]+)\/addons\/([^/]+)\/?$/;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(status: number, title: string, body: string): SimResponse {
  const html = `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;
  return { status, text: html, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } };
}

export function handleSsoRequest(world: SimWorld, request: SimRequest): SimResponse {
  if (request.method !== "GET") return page(405, "Method not allowed", "<p>Open this page with GET.</p>");
  const [, appId = "", addonId = ""] = ssoPathPattern.exec(request.path) ?? [];
  const app = world.apps.find(decodeURIComponent(appId));
  const addon = world.addons.find(decodeURIComponent(addonId));
  if (!app || !addon || addon.appId !== app.id || addon.state === "deprovisioned") {
    return page(404, "Add-on not found", "<p>Couldn't find that add-on.</p>");
  }
  const account = world.sessionAccountId ? world.accounts.find(world.sessionAccountId) : undefined;
  if (!account) return page(401, "Log in", "<p>Log in to Heroku first (the simulator has no session account).</p>");
  if (app.ownerId !== account.id) return page(403, "Forbidden", `<p>You do not have access to the app ${escapeHtml(app.name)}.</p>`);
  const partner = world.addons.service(addon).partner;
  if (!partner) return page(404, "No single sign-on", "<p>This add-on service has no single sign-on URL.</p>");

  const driver = new HerokuDriver({
    addonBaseUrl: partner.baseUrl,
    manifestId: partner.manifestId,
    password: partner.password,
    ssoSalt: partner.ssoSalt,
    ssoUrl: partner.ssoUrl,
  });
  const fields = driver.ssoFields({
    resourceId: addon.id,
    providerId: addon.providerId ?? undefined,
    app: app.name,
    email: account.email,
    userId: account.id,
    timestamp: Math.floor(Date.now() / 1000),
  });
  const inputs = Object.entries(fields)
    .map(([name, value]) => `  <input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  return page(
    200,
    `Opening ${addon.name}`,
    `<h3>Opening ${escapeHtml(addon.name)} on ${escapeHtml(app.name)}...</h3>
<form method="POST" action="${escapeHtml(partner.ssoUrl)}">
${inputs}
  <noscript><button type="submit">Continue</button></noscript>
</form>
<script>document.forms[0].submit();</script>`,
  );
}

import Heroku from "heroku-client";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { useCheckedSim } from "@/tests/helpers/checked-sim";
import { callApi, herokuClientError, uniqueName } from "@/sim/testing/sim-test-kit";

const tokenResponseSchema = z
  .object({
    access_token: z.string().min(20),
    refresh_token: z.string().min(20),
    expires_in: z.literal(28799),
    token_type: z.literal("Bearer"),
    user_id: z.uuid(),
    session_nonce: z.string().nullable(),
  })
  .strict();

async function postToken(idUrl: string, fields: Record<string, string>, as: "form" | "json" = "form") {
  const response = await fetch(`${idUrl}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": as === "form" ? "application/x-www-form-urlencoded" : "application/json" },
    body: as === "form" ? new URLSearchParams(fields).toString() : JSON.stringify(fields),
  });
  return { status: response.status, body: z.unknown().parse(await response.json()) };
}

describe("simulated Heroku: OAuth on the ID side", () => {
  const checked = useCheckedSim({});

  it("authorizes at once, exchanges the code once, expires tokens after 8 hours and rotates refresh tokens", async () => {
    const { sim, clock } = checked.harness;
    const account = sim.createAccount({ email: `${uniqueName("owner")}@example.com` });
    const client = sim.registerOAuthClient({ redirectUri: "http://127.0.0.1:3999/auth/heroku/callback" });
    sim.world.sessionAccountId = account.id;

    const authorize = new URL(`${sim.idUrl}/oauth/authorize`);
    authorize.search = new URLSearchParams({ client_id: client.id, response_type: "code", scope: "identity write", state: "xyz" }).toString();
    const redirect = await fetch(authorize, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe("http://127.0.0.1:3999/auth/heroku/callback");
    expect(location.searchParams.get("state")).toBe("xyz");
    const code = location.searchParams.get("code") ?? "";

    const wrongSecret = await postToken(sim.idUrl, { grant_type: "authorization_code", code, client_secret: "nope" });
    expect(wrongSecret.status).toBe(401);
    const exchanged = await postToken(sim.idUrl, { grant_type: "authorization_code", code, client_secret: client.secret });
    expect(exchanged.status).toBe(200);
    const first = tokenResponseSchema.parse(exchanged.body);
    expect(first.user_id).toBe(account.id);
    const reused = await postToken(sim.idUrl, { grant_type: "authorization_code", code, client_secret: client.secret });
    expect(reused).toMatchObject({ status: 401, body: { id: "unauthorized" } });

    const heroku = new Heroku({ token: first.access_token, host: sim.apiUrl });
    expect(await heroku.get("/account")).toMatchObject({ id: account.id, email: account.email });

    await clock.advanceSeconds(8 * 60 * 60);
    expect(await herokuClientError(heroku.get("/account"))).toMatchObject({ status: 401, id: "unauthorized" });

    const refreshed = await postToken(
      sim.idUrl,
      { grant_type: "refresh_token", refresh_token: first.refresh_token, client_secret: client.secret },
      "json",
    );
    expect(refreshed.status).toBe(200);
    const second = tokenResponseSchema.parse(refreshed.body);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const renewed = new Heroku({ token: second.access_token, host: sim.apiUrl });
    expect(await renewed.get("/account")).toMatchObject({ id: account.id });

    const stale = await postToken(sim.idUrl, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token,
      client_secret: client.secret,
    });
    expect(stale).toMatchObject({ status: 401, body: { id: "unauthorized" } });
  });

  it("expires grant codes after 5 minutes", async () => {
    const { sim, clock } = checked.harness;
    const account = sim.createAccount();
    const client = sim.registerOAuthClient({ redirectUri: "http://127.0.0.1:3999/callback" });
    const grant = sim.issueAuthorizationCode({ account: account.id, clientId: client.id, scopes: ["read"] });
    await clock.advanceSeconds(5 * 60);
    const late = await postToken(sim.idUrl, { grant_type: "authorization_code", code: grant.code, client_secret: client.secret });
    expect(late).toMatchObject({ status: 401, body: { id: "unauthorized" } });
  });

  it("gives the provision grant's token access to its add-on and app, but not to scaling", async () => {
    const { sim } = checked.harness;
    const owner = sim.createAccount();
    const app = await sim.createApp({ owner: owner.id, name: uniqueName("addon") });
    const { service } = sim.registerAddonService({ name: uniqueName("ebbflow"), clientSecret: "partner-secret" });
    const addon = sim.createAddon({ app: app.name, service: service.name, plan: "standard" });
    const grant = sim.issueAddonGrant(addon.id);
    expect(grant.type).toBe("authorization_code");
    const validForMs = Date.parse(grant.expires_at) - sim.clock.now();
    expect(validForMs).toBeGreaterThan(5 * 60 * 1000 - 1000);
    expect(validForMs).toBeLessThanOrEqual(5 * 60 * 1000);

    const exchanged = await postToken(
      sim.idUrl,
      { grant_type: "authorization_code", code: grant.code, client_secret: "partner-secret" },
      "json",
    );
    const token = tokenResponseSchema.parse(exchanged.body).access_token;
    const heroku = new Heroku({ token, host: sim.apiUrl });

    expect(await heroku.get(`/apps/${app.id}`)).toMatchObject({ name: app.name });
    expect(await heroku.get(`/addons/${addon.id}`)).toMatchObject({ id: addon.id, state: "provisioning" });
    const config = await heroku.patch(`/addons/${addon.id}/config`, {
      body: { config: [{ name: "EBBFLOW_URL", value: "https://ebbflow.example/r/abc" }] },
    });
    expect(config).toEqual([{ name: "EBBFLOW_URL", value: "https://ebbflow.example/r/abc" }]);
    expect(await heroku.post(`/addons/${addon.id}/actions/provision`)).toMatchObject({
      state: "provisioned",
      config_vars: ["EBBFLOW_URL"],
    });
    expect(
      await herokuClientError(heroku.patch(`/apps/${app.id}/formation`, { body: { updates: [{ type: "worker", quantity: 1 }] } })),
    ).toMatchObject({ status: 403, id: "forbidden" });
    expect(await herokuClientError(heroku.get("/account"))).toMatchObject({ status: 403, id: "forbidden" });
  });

  it("needs the write or global scope to change a formation; read tokens read apps, identity tokens the account", async () => {
    const { sim } = checked.harness;
    const owner = sim.createAccount();
    const app = await sim.createApp({ owner: owner.id, name: uniqueName("scopes") });
    const update = { updates: [{ type: "worker", quantity: 1 }] };
    const read = sim.issueToken(owner.id, ["read"]).accessToken;
    const identity = sim.issueToken(owner.id, ["identity"]).accessToken;
    const write = sim.issueToken(owner.id, ["write"]).accessToken;

    expect((await callApi(sim.apiUrl, read, "GET", `/apps/${app.name}/formation`)).status).toBe(200);
    expect(await callApi(sim.apiUrl, read, "PATCH", `/apps/${app.name}/formation`, update)).toMatchObject({
      status: 403,
      body: { id: "forbidden" },
    });
    expect((await callApi(sim.apiUrl, identity, "GET", "/account")).status).toBe(200);
    expect((await callApi(sim.apiUrl, identity, "GET", `/apps/${app.name}`)).status).toBe(403);
    expect((await callApi(sim.apiUrl, read, "GET", "/account")).status).toBe(403);
    expect((await callApi(sim.apiUrl, read, "GET", "/account/rate-limits")).status).toBe(200);
    expect((await callApi(sim.apiUrl, write, "PATCH", `/apps/${app.name}/formation`, update)).status).toBe(200);

    const stranger = sim.issueToken(sim.createAccount().id, ["global"]).accessToken;
    expect(await callApi(sim.apiUrl, stranger, "GET", `/apps/${app.name}`)).toMatchObject({ status: 403, body: { id: "forbidden" } });
    expect(await callApi(sim.apiUrl, stranger, "GET", "/apps/no-such-app-here")).toMatchObject({ status: 404, body: { id: "not_found" } });
    expect(await callApi(sim.apiUrl, "not-a-token", "GET", "/account")).toMatchObject({ status: 401, body: { id: "unauthorized" } });
  });
});

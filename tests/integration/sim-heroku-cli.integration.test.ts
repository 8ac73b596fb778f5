import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "@/sim/testing/sim-test-kit";
import { useCheckedSim } from "@/tests/helpers/checked-sim";
import { type CliResult, herokuCliRunner, installHerokuCli } from "@/tests/helpers/heroku-cli";
import { type PartnerStub, startPartnerStub } from "@/tests/helpers/partner-stub";

/**
 * The real Heroku CLI (npm `heroku` 11.x) against the simulator, with a protocol-following
 * partner in place of Ebbflow: every answer the CLI gets is checked against Heroku's schema
 * (useCheckedSim), and the partner sees the Partner API calls Heroku makes. The end-to-end
 * spec runs the same journey against Ebbflow itself.
 */

const install = await installHerokuCli();
if (!install.ok) console.warn(`Heroku CLI tests SKIPPED (not passed): ${install.reason}`);

const secrets = { password: "partner-password", ssoSalt: "partner-salt", clientSecret: "partner-client-secret" };

function printed(result: CliResult): string {
  return `${result.stdout}\n${result.stderr}`;
}

/** An error as one line: the CLI wraps long ones at 80 columns behind ` ›` margins. */
function unwrapped(text: string): string {
  return text.replace(/\s*\n\s*›\s*/g, " ").replace(/\s+/g, " ");
}

// Each CLI command starts a Node process (1–8 s on a loaded machine); a test runs up to a dozen.
describe.skipIf(!install.ok)("the Heroku CLI against the simulated Heroku", { timeout: 240_000 }, () => {
  const checked = useCheckedSim();
  let partner: PartnerStub;
  let appName = "";
  let heroku: (...args: string[]) => Promise<CliResult>;

  beforeAll(async () => {
    if (!install.ok) return;
    const { sim } = checked.harness;
    partner = await startPartnerStub({
      manifestId: "queuely",
      password: secrets.password,
      clientSecret: secrets.clientSecret,
      idUrl: sim.idUrl,
      configVar: "QUEUELY_URL",
      asyncDelayMs: 1500,
    });
    sim.registerAddonService({
      name: "queuely",
      clientSecret: secrets.clientSecret,
      planPricesCents: { basic: 0, standard: 2900, pro: 9900 },
      partner: { baseUrl: partner.baseUrl, password: secrets.password, ssoSalt: secrets.ssoSalt },
    });
    const account = sim.createAccount({ email: `${uniqueName("cli")}@example.com` });
    sim.world.sessionAccountId = account.id;
    appName = uniqueName("cli");
    await sim.createApp({ owner: account.id, name: appName, processTypes: [{ type: "worker", quantity: 0 }] });
    const run = herokuCliRunner(install.bin, sim.apiUrl, sim.issueToken(account.id).accessToken);
    heroku = (...args) => run(args);
  }, 120_000);

  afterAll(async () => {
    await partner?.close();
  });

  it("creates an add-on through a synchronous partner, upgrades and destroys it", async () => {
    const created = await heroku("addons:create", "queuely:standard", "--wait", "-a", appName);
    expect(created.code, printed(created)).toBe(0);
    expect(printed(created)).toContain(`Creating queuely:standard on ${appName}... ~$0.040/hour (max $29/month)`);
    expect(created.stdout).toContain("Ready to go.");
    const addonName = /Created (queuely-[a-z0-9-]+) as QUEUELY_URL/.exec(created.stdout)?.[1] ?? "";
    expect(addonName).not.toBe("");
    const provision = partner.calls.find((call) => call.method === "POST");
    expect(provision?.body).toMatchObject({ plan: "standard", name: addonName, oauth_grant: { type: "authorization_code" } });

    const config = await heroku("config", "-a", appName);
    expect(config.stdout).toMatch(/QUEUELY_URL:\s+https:\/\/partner\.example\//);
    const opened = await heroku("addons:open", "queuely", "--show-url", "-a", appName);
    const webUrl = opened.stdout.trim();
    expect(webUrl).toMatch(new RegExp(`^${checked.harness.sim.apiUrl}/addons-sso/apps/[0-9a-f-]{36}/addons/[0-9a-f-]{36}$`));
    const ssoPage = await (await fetch(webUrl)).text();
    expect(ssoPage).toContain(`<form method="POST" action="${partner.baseUrl}/heroku/sso">`);
    // The tokens as Heroku documents them, from the manifest's salt and the session user.
    const fields = Object.fromEntries([...ssoPage.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    const account = checked.harness.sim.world.accounts.get(fields.user_id ?? "");
    expect(fields).toMatchObject({ app: appName, context_app: appName, email: account.email });
    const sha = (algorithm: string, value: string) => createHash(algorithm).update(value).digest("hex");
    expect(fields.user_scoped_resource_token).toBe(
      sha("sha256", `${fields.resource_id}:${secrets.ssoSalt}:${fields.timestamp}:${account.id}:${account.email}`),
    );
    expect(fields.resource_token).toBe(sha("sha1", `${fields.resource_id}:${secrets.ssoSalt}:${fields.timestamp}`));
    expect(Math.abs(Number(fields.timestamp) - Date.now() / 1000)).toBeLessThan(60);

    const upgraded = await heroku("addons:upgrade", "queuely:pro", "-a", appName);
    expect(upgraded.code, printed(upgraded)).toBe(0);
    expect(printed(upgraded)).toContain(`from queuely:standard to queuely:pro... done, ~$0.138/hour (max $99/month)`);
    expect(upgraded.stdout).toContain("Moved to pro.");
    expect(partner.calls.find((call) => call.method === "PUT")?.body).toMatchObject({ plan: "pro" });

    const refused = await heroku("addons:upgrade", "queuely:diamond", "-a", appName);
    expect(refused.code).not.toBe(0);
    expect(unwrapped(refused.stderr)).toContain(`Couldn't find either the add-on service or the add-on plan of "queuely:diamond"`);

    const destroyed = await heroku("addons:destroy", "queuely", "--confirm", appName, "-a", appName);
    expect(destroyed.code, printed(destroyed)).toBe(0);
    expect(printed(destroyed)).toContain(`Destroying ${addonName} on ${appName}... done`);
    expect(partner.calls.filter((call) => call.method === "DELETE")).toHaveLength(1);
    expect((await heroku("addons", "-a", appName)).stdout).toContain(`No add-ons for app ${appName}.`);
    const releases = await heroku("releases", "-a", appName);
    expect(releases.stdout).toMatch(new RegExp(`v3\\s+Detach QUEUELY \\(@ref:${addonName}\\)`));
    expect(releases.stdout).toMatch(new RegExp(`v2\\s+Attach QUEUELY \\(@ref:${addonName}\\)`));
  });

  it("waits for an asynchronous partner's callback with --wait", async () => {
    partner.mode = "async";
    const created = await heroku("addons:create", "queuely:basic", "--wait", "-a", appName);
    partner.mode = "sync";
    expect(created.code, printed(created)).toBe(0);
    expect(created.stdout).toContain("Provisioning in the background.");
    expect(created.stdout).toMatch(/Waiting for queuely-[a-z0-9-]+\.\.\./);
    expect(created.stdout).toMatch(/Created queuely-[a-z0-9-]+ as QUEUELY_URL/);
    expect(partner.callbacks).toBe(1);
    const addons = await heroku("addons", "-a", appName);
    expect(addons.stdout).toMatch(/basic\s+free\s+free\s+created/);
    const releases = await heroku("releases", "-a", appName);
    expect(releases.stdout).toContain("Update QUEUELY_URL by queuely");
    expect((await heroku("addons:destroy", "queuely", "--confirm", appName, "-a", appName)).code).toBe(0);
  });

  it("reports a partner's refusal and keeps no add-on", async () => {
    partner.mode = "refuse";
    const refused = await heroku("addons:create", "queuely:standard", "-a", appName);
    partner.mode = "sync";
    expect(refused.code).not.toBe(0);
    expect(unwrapped(refused.stderr)).toContain("queuely could not provision the add-on: This partner takes no new customers today.");
    expect((await heroku("addons", "-a", appName)).stdout).toContain(`No add-ons for app ${appName}.`);
  });

  it("lists apps and app info, and scales with quantities sent as strings", async () => {
    const apps = await heroku("apps");
    expect(apps.stdout).toContain(appName);
    const info = await heroku("apps:info", "-a", appName);
    expect(info.stdout).toMatch(/Region:\s+us/);
    const scaled = await heroku("ps:scale", "worker=2", "-a", appName);
    expect(scaled.code, printed(scaled)).toBe(0);
    expect(printed(scaled)).toContain("now running worker at 2:Standard-1X");
    expect(checked.harness.sim.appStats(appName).dynos.starting).toBe(2);
    const ps = await heroku("ps", "-a", appName);
    expect(ps.stdout).toMatch(/worker\.2: starting/);
    const relative = await heroku("ps:scale", "worker+1", "-a", appName);
    expect(printed(relative)).toContain("now running worker at 3:Standard-1X");
    const belowZero = await heroku("ps:scale", "worker-5", "-a", appName);
    expect(belowZero.code).not.toBe(0);
    expect(checked.harness.sim.appStats(appName).dynos.starting).toBe(3);
    expect(checked.recorder.checked).toBeGreaterThan(30);
  });

  it("restarts and stops dynos, and runs a detached one-off dyno", async () => {
    const { sim } = checked.harness;
    expect((await heroku("ps:scale", "worker=1", "-a", appName)).code).toBe(0);
    const run = await heroku("run:detached", "bin/work", "-a", appName);
    expect(run.code, printed(run)).toBe(0);
    const runName = /Running bin\/work on [\w-]+\.\.\. done, (run\.\d+)/.exec(printed(run))?.[1] ?? "";
    expect(runName, printed(run)).not.toBe("");
    const ps = await heroku("ps", "-a", appName);
    expect(ps.stdout).toContain("=== run: one-off processes (1)");
    expect(ps.stdout).toMatch(new RegExp(`${runName.replace(".", "\\.")} \\(Standard-1X\\): (starting|up) .*: bin/work`));

    const restartOne = await heroku("ps:restart", "--dyno-name", "worker.1", "-a", appName);
    expect(restartOne.code, printed(restartOne)).toBe(0);
    expect(printed(restartOne)).toContain(`Restarting dyno worker.1 on ${appName}... done`);
    const restartAll = await heroku("ps:restart", "-a", appName);
    expect(restartAll.code, printed(restartAll)).toBe(0);
    expect(printed(restartAll)).toContain(`Restarting all dynos on ${appName}... done`);
    const missing = await heroku("ps:restart", "--dyno-name", "worker.9", "-a", appName);
    expect(missing.code).not.toBe(0);
    expect(unwrapped(missing.stderr)).toContain("Couldn't find that dyno.");

    const stop = await heroku("ps:stop", "--dyno-name", runName, "-a", appName);
    expect(stop.code, printed(stop)).toBe(0);
    expect(printed(stop)).toContain(`Stopping dyno ${runName} on ${appName}... done`);
    expect((await heroku("ps", "-a", appName)).stdout).not.toContain(runName);
    expect(sim.appStats(appName).dynos.starting + sim.appStats(appName).dynos.up).toBe(1);
  });
});

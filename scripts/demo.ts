import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { HerokuDriver } from "@/sim/driver/heroku-driver";
import { createAddonThroughApi } from "@/sim/driver/create-addon-through-api";
import { deleteKeysWithPrefix } from "@/sim/jobs/delete-keys";
import { startSim } from "@/sim/start-sim";
import { demoOptions } from "@/scripts/demo-options";
import { LOCAL_SECRETS, localEnv } from "@/scripts/local-env";

/**
 * `npm run demo`: Ebbflow against the simulated Heroku, with a demo app whose Sidekiq queue
 * rises and falls. Migrates its own database (ebbflow_demo: the demo's throwaway keys must
 * not meet `npm run dev`'s data), builds if the build is missing or stale, starts the sim (10 s
 * dyno boots), the web process and the worker, provisions the add-on on the Pro plan the way
 * Heroku does, connects the app's queue, sets rules for `worker`, authorizes scaling, and
 * prints a single-sign-on link. Ctrl-C stops everything, deletes the demo's tenant and its
 * Redis keys. `--smoke` opens the link in Chromium, waits for the first scale-up to show on
 * the dashboard, then stops and exits 0 (1 if it does not show within SMOKE_SCALE_UP_MS).
 */
const root = path.resolve(import.meta.dirname, "..");
const options = demoOptions(process.argv.slice(2), process.env);
const { webPort, simPort, ssoPort, databaseUrl, redisUrl, smoke } = options;
const baseUrl = `http://127.0.0.1:${webPort}`;
const namespace = `ebbflow-demo-${randomUUID().slice(0, 8)}`;
const children: ChildProcess[] = [];

function say(line: string): void {
  console.log(`[demo] ${line}`);
}

/** The newest modification time under the folders the build is made from. */
function newestSourceMs(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** The Prisma client is generated, not committed: a fresh clone has none until this runs. */
function generateIfStale(): void {
  const generated = path.join(root, "lib/db/generated/client.ts");
  const schema = path.join(root, "prisma/schema.prisma");
  if (existsSync(generated) && statSync(generated).mtimeMs > statSync(schema).mtimeMs) return;
  say("generating the Prisma client (npm run generate)");
  const result = spawnSync("npm", ["run", "--silent", "generate"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("npm run generate failed");
}

function buildIfStale(): void {
  const buildId = path.join(root, ".next/BUILD_ID");
  const sources = ["app", "lib", "public", "prisma", "worker"].map((d) => newestSourceMs(path.join(root, d)));
  const configs = ["package.json", "next.config.js", "proxy.ts"].filter((f) => existsSync(path.join(root, f))).map((f) => statSync(path.join(root, f)).mtimeMs);
  const built = [buildId, path.join(root, "dist/worker.mjs")].map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0));
  if (Math.min(...built) > Math.max(...sources, ...configs)) return;
  say("building the web app (npm run build); this takes a few minutes the first time");
  const result = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("npm run build failed");
}

function startChild(name: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  child.once("exit", (code, signal) => {
    if (!stopping) say(`${name} exited (${signal ?? code}); stopping the demo`);
    if (!stopping) void stop(1);
  });
  children.push(child);
  return child;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const demoStartedMs = Date.now();
let stopping = false;
const cleanup: Array<() => Promise<void> | void> = [];

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  for (const step of [...cleanup].reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(error);
    }
  }
  cleanup.length = 0;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
        }),
    ),
  );
  await deleteKeysWithPrefix(namespace, redisUrl).catch(() => undefined);
  const { disconnectDb } = await import("@/lib/db/client");
  await disconnectDb().catch(() => undefined);
  say("stopped");
  process.exit(code);
}

async function main(): Promise<void> {
  process.once("SIGINT", () => void stop(0));
  process.once("SIGTERM", () => void stop(0));
  const simUrl = `http://127.0.0.1:${simPort}`;
  const serviceEnv = localEnv({ baseUrl, databaseUrl, redisUrl, herokuApiUrl: simUrl, herokuIdUrl: simUrl });
  // Before anything reads the environment: this process seals the scaling token and writes
  // rules, so it must use the same database and keys as the web process and the worker.
  Object.assign(process.env, serviceEnv);

  generateIfStale();
  const { ensureDatabase, migrate } = await import("@/lib/db/migrate");
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl, path.join(root, "prisma/migrations"));
  const { db } = await import("@/lib/db/client");
  // Tenants an earlier demo left behind (one stopped with kill -9) point at a simulator that is gone.
  const leftovers = await db.tenant.deleteMany({});
  say(`database ${new URL(databaseUrl).pathname.slice(1)} migrated${leftovers.count ? `; removed ${leftovers.count} app(s) an earlier demo left` : ""}`);
  buildIfStale();

  const sim = await startSim({ port: simPort, bootDelaySeconds: 10 });
  cleanup.push(() => sim.close());
  say(`simulated Heroku at ${sim.apiUrl}`);

  sim.registerOAuthClient({ id: LOCAL_SECRETS.HEROKU_OAUTH_ID, secret: LOCAL_SECRETS.HEROKU_OAUTH_SECRET, name: "Ebbflow", redirectUri: `${baseUrl}/api/auth/callback/heroku` });
  const account = sim.world.accounts.find("demo@ebbflow.test") ?? sim.createAccount({ email: "demo@ebbflow.test", name: "Ebbflow Demo" });
  sim.world.sessionAccountId = account.id;
  const app = await sim.createApp({
    owner: account.id,
    name: `demo-${namespace.slice(-8)}`,
    processTypes: [{ type: "worker", size: "standard-1x", quantity: 0, concurrency: 5 }],
    jobs: { backend: "sidekiq", redisUrl, namespace },
  });
  say(`demo app ${app.name}: Sidekiq jobs in Redis under ${namespace}:`);

  // The same processes the Procfile runs.
  startChild("web", process.execPath, [path.join(root, "scripts/serve.mjs")], { ...serviceEnv, PORT: String(webPort), HOSTNAME_BIND: "127.0.0.1" });
  startChild("worker", process.execPath, ["--enable-source-maps", "dist/worker.mjs"], serviceEnv);
  await waitFor("the web process", async () => (await fetch(`${baseUrl}/api/health`)).ok);
  say(`web at ${baseUrl}, worker started`);

  const driver = new HerokuDriver({ addonBaseUrl: baseUrl, password: LOCAL_SECRETS.HEROKU_ADDON_PASSWORD, ssoSalt: LOCAL_SECRETS.HEROKU_SSO_SALT });
  // The manifest the sim holds for Ebbflow, then `heroku addons:create ebbflow:pro` through its Platform API.
  const { plans } = await import("@/lib/billing/plans");
  sim.registerAddonService({
    name: LOCAL_SECRETS.HEROKU_ADDON_ID,
    clientSecret: LOCAL_SECRETS.HEROKU_PARTNER_CLIENT_SECRET,
    planPricesCents: Object.fromEntries(Object.values(plans).map((plan) => [plan.name, plan.monthlyPriceCents])),
    defaultPlan: "hobby",
    partner: { baseUrl, password: LOCAL_SECRETS.HEROKU_ADDON_PASSWORD, ssoSalt: LOCAL_SECRETS.HEROKU_SSO_SALT },
  });
  const cliToken = sim.issueToken(account.id, ["global"]).accessToken;
  const addon = await createAddonThroughApi(sim.apiUrl, cliToken, { app: app.name, plan: `${LOCAL_SECRETS.HEROKU_ADDON_ID}:pro` });
  const cliCommands = [
    `export HEROKU_HOST=${sim.apiUrl} HEROKU_API_KEY=${cliToken}`,
    `heroku ps -a ${app.name}                     # the dynos Ebbflow scales`,
    `heroku addons -a ${app.name}; heroku config -a ${app.name}; heroku releases -a ${app.name}`,
    `heroku ps:scale worker=3 -a ${app.name}      # Ebbflow takes it back to what the queue needs`,
    `heroku addons:upgrade ebbflow:standard -a ${app.name}   # checks every 10 s instead of 2 s`,
    `heroku addons:open ebbflow -a ${app.name}    # the dashboard, through the sim's single sign-on`,
  ];
  const tenant = await waitFor("the add-on's grant exchange", () =>
    db.tenant.findFirst({ where: { herokuResourceId: addon.id, state: "active" }, select: { id: true } }),
  );
  // The demo's app goes with the demo (before the processes stop, so the worker checks it no more).
  cleanup.unshift(async () => {
    await db.tenant.deleteMany({ where: { id: tenant.id } });
  });
  say(`add-on ${addon.name} provisioned on the Pro plan (checks every 2 s)`);

  const { saveToken } = await import("@/lib/heroku/tokens");
  const issued = sim.issueToken(account.id, ["identity", "write"]);
  await saveToken(tenant.id, "scaling", { access_token: issued.accessToken, refresh_token: issued.refreshToken, expires_in: issued.expiresInSeconds, user_id: issued.userId, scope: "identity write", token_type: "Bearer" }, "demo");
  const { saveQueueSource } = await import("@/lib/dashboard/save-queue-source");
  const { saveProcessRule } = await import("@/lib/dashboard/save-process-rule");
  const { processRuleSchema } = await import("@/lib/scaling/rules");
  await saveQueueSource(tenant.id, { mode: "probe", processType: "worker", backend: "sidekiq", url: redisUrl, namespace, queues: [], prefix: undefined, httpFormat: undefined, hirefireMetric: undefined, httpToken: undefined, quiet: true, quietUrl: redisUrl });
  await saveProcessRule(tenant.id, {
    enabled: true,
    dynoSize: "standard-1x",
    rule: processRuleSchema.parse({ processType: "worker", minQuantity: 0, maxQuantity: 8, concurrencyPerDyno: 5, bootSeconds: 10, downscale: { delaySeconds: 30 } }),
  });
  say("scaling authorized; worker reads the Sidekiq queue; rules: 0 to 8 dynos, 5 jobs per dyno");

  // The workload: a wave of 5–15 s jobs that rises from nothing to ~6 jobs a second and back every 5 minutes.
  const startedMs = Date.now();
  const load = setInterval(() => {
    const t = (Date.now() - startedMs) / 1000;
    const perTick = Math.round(6 * (1 - Math.cos((2 * Math.PI * t) / 300)));
    for (let i = 0; i < perTick; i += 1) void sim.enqueue(app.name, { durationSeconds: 5 + Math.random() * 10 }).catch(() => undefined);
  }, 2000);
  cleanup.push(() => clearInterval(load));
  const report = setInterval(async () => {
    const stats = sim.appStats(app.name);
    const depth = await sim.queueDepth(app.name).catch(() => 0);
    say(`queue ${depth} · dynos up ${stats.dynos.up}, booting ${stats.dynos.starting}, stopping ${stats.dynos.stopping} · busy ${stats.busy} · cost $${stats.usage.dollars.toFixed(4)}`);
  }, 15_000);
  cleanup.push(() => clearInterval(report));

  // Each visit signs in afresh: SSO links work once, for five minutes, as Heroku's do.
  const ssoServer: Server = createServer((_request, reply) => {
    const fields = driver.ssoFields({ resourceId: addon.id, app: app.name, email: account.email, userId: account.id });
    // Heroku posts the SSO form (a GET is refused): this page does the same, at once.
    const inputs = Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(String(value))}">`)
      .join("");
    reply
      .writeHead(200, { "content-type": "text/html; charset=utf-8" })
      .end(`<form method="post" action="${baseUrl}/heroku/sso">${inputs}<noscript><button>Open Ebbflow</button></noscript></form><script>document.forms[0].submit()</script>`);
  });
  await new Promise<void>((resolve) => ssoServer.listen(ssoPort, "127.0.0.1", resolve));
  cleanup.push(() => new Promise<void>((resolve) => ssoServer.close(() => resolve())));
  const { disconnectWebRedis } = await import("@/lib/redis/connection");
  cleanup.unshift(() => disconnectWebRedis());

  const signInUrl = `http://127.0.0.1:${ssoPort}/`;
  say("");
  say(`Open ${signInUrl} to sign in to the dashboard (single sign-on, as \`heroku addons:open ebbflow\`).`);
  say("The queue fills within seconds and the chart shows the dynos following it. Ctrl-C stops everything.");
  say("Watch and change the demo app with the Heroku CLI (11.x, `npm install -g heroku`) against the simulator:");
  for (const command of cliCommands) say(`  ${command}`);

  if (!smoke) return;

  const { runSmoke } = await import("@/scripts/demo-smoke");
  const result = await runSmoke({ signInUrl, timeoutMs: options.smokeTimeoutMs, say });
  say(`smoke: signed in after ${(result.signedInMs / 1000).toFixed(1)} s; first scale-up (${result.decision}) on the dashboard ${(result.scaleUpMs / 1000).toFixed(1)} s after the link was printed; ${((Date.now() - demoStartedMs) / 1000).toFixed(0)} s since the demo started`);
  await stop(0);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
});

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

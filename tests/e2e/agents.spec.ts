import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { Redis } from "ioredis";
import pg from "pg";
import { localEnv } from "../../scripts/local-env";

/**
 * The three agents (agents/node, agents/python, agents/ruby) against a running Ebbflow web
 * process (the production build, started here so the test can kill it): each host app reports
 * its real job library's queue and its web queue time with protocol 2; the web process stores
 * them; killing the web process leaves the host apps running, and their reports resume when it
 * is back. Each language has a tenant of its own (the push rate limit is per tenant).
 */
const root = path.resolve(import.meta.dirname, "../..");
const hosts = path.join(root, "tests/e2e/support/agent-hosts");
const databaseUrl = process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ebbflow_test";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const port = Number(process.env.E2E_AGENTS_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1);
const baseUrl = `http://127.0.0.1:${port}`;
const simUrl = process.env.E2E_SIM_URL ?? "http://127.0.0.1:5199";

const languages = [
  { name: "node", command: "node", args: [path.join(hosts, "host.mjs")], depth: 3 },
  { name: "python", command: "/usr/bin/python3", args: [path.join(hosts, "host.py")], depth: 2 },
  { name: "ruby", command: "ruby", args: [path.join(hosts, "host.rb")], depth: 4 },
];

function startWeb(): ChildProcess {
  const env = { ...process.env, ...localEnv({ baseUrl, databaseUrl, herokuApiUrl: simUrl, herokuIdUrl: simUrl, redisUrl }) };
  return spawn("node", ["scripts/serve.mjs"], {
    cwd: root,
    env: { ...env, PORT: String(port), HOSTNAME_BIND: "127.0.0.1", WEB_CONCURRENCY: "1" },
    stdio: "ignore",
  });
}

async function waitHealthy(): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${baseUrl}/api/health`).catch(() => null))?.status ?? 0, { timeout: 90_000, intervals: [500] })
    .toBe(200);
}

test("agents report to a running Ebbflow and resume after it is killed", async () => {
  test.setTimeout(240_000);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const redis = new Redis(redisUrl);
  const tenants: { language: (typeof languages)[number]; id: string; token: string; queue: string; host?: ChildProcess }[] = [];
  for (const language of languages) {
    const token = randomBytes(32).toString("base64url");
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO tenants (id, channel, app_name, plan, state, paused, agent_token_hash, updated_at)
       VALUES ($1, 'heroku', $2, 'pro', 'active', true, $3, now()) RETURNING id`,
      [randomUUID(), `agents-${language.name}-${randomUUID().slice(0, 8)}`, createHash("sha256").update(token).digest("hex")],
    );
    const id = rows[0]?.id;
    if (!id) throw new Error("tenant not created");
    tenants.push({ language, id, token, queue: `e2e-${language.name}-${randomUUID().slice(0, 8)}` });
  }
  const stored = async (tenantId: string, processType: string) => {
    const raw = await redis.get(`ebbflow:report:${tenantId}:${processType}`);
    return raw ? (JSON.parse(raw) as { receivedAtMs: number; result: { queues: { name: string; depth: number }[] } }) : null;
  };

  let web = startWeb();
  try {
    await waitHealthy();
    for (const tenant of tenants) {
      tenant.host = spawn(tenant.language.command, tenant.language.args, {
        cwd: root,
        env: { ...process.env, EBBFLOW_URL: `http://agent:${tenant.token}@127.0.0.1:${port}`, DYNO: "web.1", REDIS_URL: redisUrl, E2E_QUEUE: tenant.queue },
        stdio: "ignore",
      });
    }
    // Every agent's worker report (its library's queue) and web report are stored.
    for (const tenant of tenants) {
      await expect
        .poll(async () => (await stored(tenant.id, "worker"))?.result.queues.find((queue) => queue.name === tenant.queue)?.depth, {
          timeout: 60_000,
          message: `${tenant.language.name} worker report`,
        })
        .toBe(tenant.language.depth);
      await expect.poll(async () => (await stored(tenant.id, "web")) !== null, { timeout: 30_000, message: `${tenant.language.name} web report` }).toBe(true);
    }

    // Kill Ebbflow mid-run: the host apps keep running; reports resume when it is back.
    web.kill("SIGKILL");
    await new Promise((resolve) => web.once("exit", resolve));
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    for (const tenant of tenants) expect(tenant.host?.exitCode, `${tenant.language.name} host still running`).toBeNull();
    const restartedAt = Date.now();
    web = startWeb();
    await waitHealthy();
    for (const tenant of tenants) {
      for (const processType of ["worker", "web"]) {
        await expect
          .poll(async () => ((await stored(tenant.id, processType))?.receivedAtMs ?? 0) > restartedAt, {
            timeout: 60_000,
            message: `${tenant.language.name} ${processType} reports resume`,
          })
          .toBe(true);
      }
    }
  } finally {
    for (const tenant of tenants) tenant.host?.kill("SIGTERM");
    web.kill("SIGTERM");
    for (const tenant of tenants) {
      await redis.del(`ebbflow:report:${tenant.id}:worker`, `ebbflow:report:${tenant.id}:web`);
      await db.query("DELETE FROM tenants WHERE id = $1", [tenant.id]);
    }
    await db.end();
    redis.disconnect();
  }
});

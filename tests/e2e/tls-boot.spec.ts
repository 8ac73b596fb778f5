import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { Redis } from "ioredis";
import pg from "pg";
import { ensureDatabase } from "../../lib/db/migrate";
import { localEnv } from "../../scripts/local-env";
import { freePort, startTlsServices, type TlsServices } from "../helpers/tls-services";

/**
 * Ebbflow's production processes, as the Procfile runs them (release, web, worker), against a
 * Postgres and a Redis that accept only TLS with self-signed certificates, the way Heroku
 * Postgres and Heroku Redis do, with DATABASE_URL asking for TLS (sslmode=require).
 */
const root = path.resolve(import.meta.dirname, "../..");
let services: TlsServices;
const children: ChildProcess[] = [];

function run(command: string, args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  // Only what is given: nothing of the test runner's own environment (its DATABASE_URL) leaks in.
  const childEnv: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env };
  const child = spawn(command, args, { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  children.push(child);
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once("exit", (code) => resolve(code));
  });
}

test.describe.configure({ mode: "serial", timeout: 240_000 });

test.beforeAll(async () => {
  services = await startTlsServices();
  await ensureDatabase(services.databaseUrl);
});

test.afterAll(async () => {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited(child);
      clearTimeout(timer);
    }),
  );
  await services?.stop();
});

test("the services refuse plain text, so everything below went over TLS", async () => {
  const plain = new pg.Client({ connectionString: services.databaseUrl.replace("sslmode=require", "sslmode=disable"), ssl: false });
  await expect(plain.connect()).rejects.toThrow(/no pg_hba.conf entry|SSL off/);
  await plain.end().catch(() => undefined);
  const plainRedis = new Redis(`redis://127.0.0.1:${services.redisPort}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  plainRedis.on("error", () => undefined);
  await expect(plainRedis.connect().then(() => plainRedis.ping())).rejects.toThrow();
  plainRedis.disconnect();
});

test("release, web and worker start in production against TLS-only Postgres and Redis", async () => {
  const port = Number(process.env.TLS_TEST_WEB_PORT ?? (await freePort()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { ...localEnv({ baseUrl, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl }), LOG_LEVEL: "info", DATABASE_POOL_MAX: "3" };

  // release: npm run db:migrate
  const release = run("npm", ["run", "--silent", "db:migrate"], env);
  expect(await exited(release.child), release.output()).toBe(0);
  expect(release.output()).toMatch(/applied \d+ migration|up to date/);

  // web: npm start (scripts/serve.mjs)
  const web = run(process.execPath, ["scripts/serve.mjs"], { ...env, PORT: String(port), HOSTNAME_BIND: "127.0.0.1", WEB_CONCURRENCY: "1" });
  await expect
    .poll(async () => (await fetch(`${baseUrl}/api/health`).then((r) => r.json()).catch(() => null)) as unknown, { timeout: 120_000, message: web.output() })
    .toMatchObject({ ok: true, db: "up", redis: "up" });

  // worker: the Procfile's command (the bundle npm run build made)
  const workerCommand = /^worker:\s*node (.+)$/m.exec(readFileSync(path.join(root, "Procfile"), "utf8"))?.[1]?.split(/\s+/) ?? [];
  expect(workerCommand.length).toBeGreaterThan(0);
  const worker = run(process.execPath, workerCommand, env);
  await expect.poll(() => worker.output(), { timeout: 60_000 }).toMatch(/worker started/);

  const admin = new pg.Client({ connectionString: services.databaseUrl.replace("?sslmode=require", ""), ssl: { rejectUnauthorized: false } });
  await admin.connect();
  try {
    // The worker's first heartbeat, written through its TLS connection.
    await expect
      .poll(async () => Number((await admin.query("SELECT count(*) AS n FROM worker_heartbeats")).rows[0]?.n ?? 0), { timeout: 60_000, message: worker.output() })
      .toBeGreaterThan(0);
    const { rows } = await admin.query<{ ssl: number; plain: number }>(
      "SELECT count(*) FILTER (WHERE s.ssl)::int AS ssl, count(*) FILTER (WHERE NOT s.ssl)::int AS plain FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = 'ebbflow'",
    );
    expect(rows[0]?.plain).toBe(0);
    expect(rows[0]?.ssl).toBeGreaterThanOrEqual(3); // this client, the web process, the worker
  } finally {
    await admin.end();
  }
  expect(web.child.exitCode).toBeNull();
  expect(worker.child.exitCode).toBeNull();
});

test("the production web process refuses to start without its required variables", async () => {
  const web = run(process.execPath, ["scripts/serve.mjs"], { NODE_ENV: "production", DATABASE_URL: services.databaseUrl, PORT: "1" });
  expect(await exited(web.child)).toBe(1);
  expect(web.output()).toContain("Ebbflow web cannot start");
  for (const name of ["REDIS_URL", "ENCRYPTION_KEY", "NEXTAUTH_SECRET", "HEROKU_ADDON_PASSWORD"]) expect(web.output()).toContain(`${name} is required`);
  expect(web.output()).not.toContain("DATABASE_URL");
});

import { randomBytes, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import pg from "pg";
import { writeCheckStates, type CheckState } from "@/lib/checks/check-state";
import { FORMATION_REFRESH_MS } from "@/lib/checks/run-check";
import { seal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { saveToken } from "@/lib/heroku/tokens";
import type { Sim } from "@/sim/start-sim";

/**
 * The world the scheduler benchmark runs in: a scratch Postgres database with N tenants, their
 * rules, queue sources and (for some) scaling tokens, Sidekiq namespaces in one local Redis,
 * and apps in the in-process simulated Heroku for the tenants that can scale.
 *
 * Three kinds of tenant:
 * - idle: a Sidekiq app at zero dynos with an empty `default` queue, so its checks probe,
 *   decide "hold" and record. Without `idleTokens` it has no scaling token and never calls
 *   Heroku; with it, it has a token and an app (no job store) in the simulator, and its
 *   checks re-read the formation every FORMATION_REFRESH_MS as an authorized app's do;
 * - scaling: a Sidekiq app in the simulator, with a scaling token on one of a few shared
 *   simulator accounts; the load generator drops job bursts into its queue, its checks scale
 *   it up and down through the Platform API, and its dynos work the jobs off;
 * - push: a pro-plan app whose agent pushes reports (no probe), for the push fast path.
 */

const ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export interface ScratchDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

/** CREATE DATABASE ebbflow_bench_<random>; `drop` removes it even with connections open. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `ebbflow_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `postgresql://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export type TenantKind = "idle" | "scaling" | "push";

export interface BenchTenant {
  id: string;
  kind: TenantKind;
  /** The Sidekiq namespace its probe reads (idle, scaling). */
  namespace: string | null;
  /** Its app in the simulator (scaling, push). */
  app: { id: string; name: string } | null;
}

export interface WorldOptions {
  sim: Sim;
  redis: Redis;
  /** Where the tenants' job queues live (their Sidekiq stores); may be `redis` itself. */
  queueRedis: Redis;
  /** The one Redis URL every probe source names (the probe pool keeps one connection per URL). */
  queueRedisUrl: string;
  /** Prefix of every Sidekiq namespace, unique per run, so cleanup finds them all. */
  namespacePrefix: string;
  tenants: number;
  plan: string;
  scalingTenants: number;
  appsPerAccount: number;
  pushTenants: number;
  pushAppsPerAccount: number;
  /** Idle tenants get a scaling token and a simulator app (see above). */
  idleTokens: boolean;
  idleAppsPerAccount: number;
}

export interface World {
  /** The tenants checked at the benchmark's interval: idle and scaling. */
  main: BenchTenant[];
  push: BenchTenant[];
  scalingAccounts: number;
  pushAccounts: number;
  idleAccounts: number;
}

/** Rules of the idle and scaling tenants: Sidekiq with 5 threads, up to 5 dynos. */
const SIDEKIQ_THREADS = 5;
const SCALING_MAX_DYNOS = 5;
/** Push tenants want one dyno per reported job, so each report of a growing depth is an upscale. */
const PUSH_MAX_DYNOS = 100;
export const BENCH_BOOT_SECONDS = 15;
const INSERT_CHUNK = 1000;

export async function buildWorld(options: WorldOptions): Promise<World> {
  const { sim } = options;
  const main: BenchTenant[] = [];
  const scalingAccountIds: string[] = [];
  const idleAccountIds: string[] = [];
  for (let index = 0; index < options.tenants; index += 1) {
    const namespace = `${options.namespacePrefix}${index}`;
    if (index < options.scalingTenants) {
      if (index % options.appsPerAccount === 0) {
        scalingAccountIds.push(sim.createAccount({ email: `bench-scaling-${scalingAccountIds.length}@example.com` }).id);
      }
      const app = await sim.createApp({
        owner: scalingAccountIds[scalingAccountIds.length - 1] as string,
        processTypes: [{ type: "worker", size: "standard-1x", quantity: 0, concurrency: SIDEKIQ_THREADS }],
        jobs: { backend: "sidekiq", redisUrl: options.queueRedisUrl, namespace, version: 7 },
      });
      main.push({ id: randomUUID(), kind: "scaling", namespace, app: { id: app.id, name: app.name } });
    } else if (options.idleTokens) {
      main.push({ id: randomUUID(), kind: "idle", namespace, app: await idleApp(sim, idleAccountIds, index - options.scalingTenants, options.idleAppsPerAccount) });
    } else {
      main.push({ id: randomUUID(), kind: "idle", namespace, app: null });
    }
  }
  const push: BenchTenant[] = [];
  const pushAccountIds: string[] = [];
  for (let index = 0; index < options.pushTenants; index += 1) {
    if (index % options.pushAppsPerAccount === 0) {
      pushAccountIds.push(sim.createAccount({ email: `bench-push-${pushAccountIds.length}@example.com` }).id);
    }
    // No job store: the agent's reports are the only numbers, and the dynos only need to exist.
    const app = await sim.createApp({
      owner: pushAccountIds[pushAccountIds.length - 1] as string,
      processTypes: [{ type: "worker", size: "standard-1x", quantity: 0, concurrency: 1 }],
    });
    push.push({ id: randomUUID(), kind: "push", namespace: null, app: { id: app.id, name: app.name } });
  }

  await insertTenants(main, options.plan, options.queueRedisUrl);
  await insertTenants(push, "pro", options.queueRedisUrl);
  await issueTokens(sim, [...main.filter((t) => t.kind === "scaling"), ...push], scalingAccountIds, pushAccountIds, options);
  await seedIdleQueues(options.queueRedis, main.filter((t) => t.kind === "idle"));
  if (options.idleTokens) {
    const idle = main.filter((t) => t.kind === "idle");
    await insertIdleTokens(sim, idle, idleAccountIds, options.idleAppsPerAccount);
    await seedSteadyFormationReads(options.redis, idle);
  }
  return { main, push, scalingAccounts: scalingAccountIds.length, pushAccounts: pushAccountIds.length, idleAccounts: idleAccountIds.length };
}

/** An app at zero dynos without a job store: it only answers formation reads. */
async function idleApp(sim: Sim, accountIds: string[], index: number, appsPerAccount: number): Promise<{ id: string; name: string }> {
  if (index % appsPerAccount === 0) accountIds.push(sim.createAccount({ email: `bench-idle-${accountIds.length}@example.com` }).id);
  const app = await sim.createApp({
    owner: accountIds[accountIds.length - 1] as string,
    processTypes: [{ type: "worker", size: "standard-1x", quantity: 0, concurrency: SIDEKIQ_THREADS }],
  });
  return { id: app.id, name: app.name };
}

/**
 * Scaling tokens for the idle tenants, inserted in bulk: sealed as saveToken seals them, but
 * without its audit row and transaction per tenant, which would make setup take minutes.
 */
async function insertIdleTokens(sim: Sim, tenants: BenchTenant[], accountIds: string[], appsPerAccount: number): Promise<void> {
  const expiresAt = new Date(Date.now() + 8 * 3600_000);
  for (let start = 0; start < tenants.length; start += INSERT_CHUNK) {
    await db.herokuToken.createMany({
      data: tenants.slice(start, start + INSERT_CHUNK).map((tenant, offset) => {
        const token = sim.issueToken(accountIds[Math.floor((start + offset) / appsPerAccount)] as string, ["identity", "write"]);
        const access = seal(token.accessToken);
        return {
          tenantId: tenant.id,
          kind: "scaling" as const,
          accessTokenSealed: access.value,
          refreshTokenSealed: seal(token.refreshToken).value,
          keyId: access.keyId,
          scope: "identity write",
          herokuUserId: token.userId,
          expiresAt,
        };
      }),
    });
  }
}

/**
 * A long-running engine has read each app's formation at some time in the last
 * FORMATION_REFRESH_MS, spread evenly; a fresh one would read all of them in its first
 * interval and then not again within a short run. Seeding each idle tenant's last read at a
 * random time in that period gives the measured window the steady rate, N / 180 s.
 */
async function seedSteadyFormationReads(redis: Redis, tenants: BenchTenant[]): Promise<void> {
  const nowMs = Date.now();
  for (let start = 0; start < tenants.length; start += 2000) {
    const states = new Map<string, CheckState>(
      tenants.slice(start, start + 2000).map((tenant) => [
        tenant.id,
        { history: {}, formation: { readAtMs: nowMs - Math.floor(Math.random() * FORMATION_REFRESH_MS), quantities: { worker: 0 } } },
      ]),
    );
    await writeCheckStates(redis, states);
  }
}

async function insertTenants(tenants: BenchTenant[], plan: string, queueRedisUrl: string): Promise<void> {
  for (let start = 0; start < tenants.length; start += INSERT_CHUNK) {
    const chunk = tenants.slice(start, start + INSERT_CHUNK);
    await db.tenant.createMany({
      data: chunk.map((tenant, offset) => ({
        id: tenant.id,
        channel: "heroku" as const,
        herokuResourceId: randomUUID(),
        herokuAppId: tenant.app?.id ?? randomUUID(),
        appName: tenant.app?.name ?? `bench-idle-${start + offset}`,
        plan,
        state: "active" as const,
      })),
    });
    await db.processRule.createMany({
      data: chunk.map((tenant) =>
        tenant.kind === "push"
          ? { tenantId: tenant.id, processType: "worker", minDynos: 0, maxDynos: PUSH_MAX_DYNOS, settings: { concurrencyPerDyno: 1, bootSeconds: BENCH_BOOT_SECONDS } }
          : { tenantId: tenant.id, processType: "worker", minDynos: 0, maxDynos: SCALING_MAX_DYNOS, settings: { concurrencyPerDyno: SIDEKIQ_THREADS, bootSeconds: BENCH_BOOT_SECONDS } },
      ),
    });
    await db.queueSource.createMany({
      data: chunk.map((tenant) =>
        tenant.namespace === null
          ? { tenantId: tenant.id, processType: "worker", mode: "push" as const, backend: null, configSealed: null }
          : {
              tenantId: tenant.id,
              processType: "worker",
              mode: "probe" as const,
              backend: "sidekiq",
              configSealed: seal(JSON.stringify({ backend: "sidekiq", url: queueRedisUrl, namespace: tenant.namespace })).value,
            },
      ),
    });
  }
}

/** Scaling tokens the simulator issued, stored the way "Authorize scaling" stores them. */
async function issueTokens(
  sim: Sim,
  tenants: BenchTenant[],
  scalingAccountIds: string[],
  pushAccountIds: string[],
  options: WorldOptions,
): Promise<void> {
  let scalingIndex = 0;
  let pushIndex = 0;
  const jobs = tenants.map((tenant) => {
    const account =
      tenant.kind === "push"
        ? (pushAccountIds[Math.floor(pushIndex++ / options.pushAppsPerAccount)] as string)
        : (scalingAccountIds[Math.floor(scalingIndex++ / options.appsPerAccount)] as string);
    return async () => {
      const token = sim.issueToken(account, ["identity", "write"]);
      await saveToken(
        tenant.id,
        "scaling",
        { access_token: token.accessToken, refresh_token: token.refreshToken, expires_in: token.expiresInSeconds, user_id: token.userId },
        "bench",
      );
    };
  });
  for (let start = 0; start < jobs.length; start += 10) await Promise.all(jobs.slice(start, start + 10).map((job) => job()));
}

/** An idle Sidekiq app at zero dynos: its `queues` set names `default`, whose list is empty. */
async function seedIdleQueues(redis: Redis, tenants: BenchTenant[]): Promise<void> {
  for (let start = 0; start < tenants.length; start += 5000) {
    const pipeline = redis.pipeline();
    for (const tenant of tenants.slice(start, start + 5000)) pipeline.sadd(`${tenant.namespace}:queues`, "default");
    await pipeline.exec();
  }
}

/** Deletes every key matching `pattern` (SCAN, never KEYS); returns how many. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}

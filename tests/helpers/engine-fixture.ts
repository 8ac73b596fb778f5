import { randomBytes, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { seal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { saveToken } from "@/lib/heroku/tokens";
import { rowFromRule } from "@/lib/dashboard/rule-record";
import { hashAgentToken } from "@/lib/queues/agent-token";
import { processRuleSchema, type ProcessRuleInput } from "@/lib/scaling/rules";
import type { Sim } from "@/sim/start-sim";

export const redisUrl = "redis://127.0.0.1:6379";

export interface EngineTenant {
  tenantId: string;
  appName: string;
  appId: string;
  namespace: string;
  accountId: string;
}

/**
 * A tenant wired to an app in the simulated Heroku: a Sidekiq app under its own Redis
 * namespace, a probe source for it, the given rules for `worker`, and a scaling token the sim
 * issued with the write scope. With `processType: "web"`, a web app instead: its `web` dynos
 * (`quantity` of them to start), the rule for `web`, and no queue source (its agents push).
 */
export async function createEngineTenant(
  sim: Sim,
  options: {
    rule: Omit<ProcessRuleInput, "processType">;
    plan?: string;
    concurrency?: number;
    authorized?: boolean;
    size?: string;
    /** Opt in to quieting with a write URL of the same store. */
    quiet?: boolean;
    /** The process type the rule is for (default `worker`); `web` makes a web app. */
    processType?: "worker" | "web";
    /** Dynos running when the app is created (default 0). */
    quantity?: number;
    /** The agent token the tenant's agents push with. */
    agentToken?: string;
    /** What the process type's dynos run (real web processes need `startSim({ webProcesses })`). */
    command?: string;
    /** The app's config vars (`EBBFLOW_URL` for its agents). */
    config?: Record<string, string>;
    /** The worker's numbers come from its agents' reports (a push source) instead of a probe. */
    push?: boolean;
  },
): Promise<EngineTenant> {
  const processType = options.processType ?? "worker";
  const web = processType === "web";
  const namespace = `engine-${randomBytes(4).toString("hex")}`;
  const account = sim.createAccount({ email: `${namespace}@example.com` });
  const app = await sim.createApp({
    owner: account.id,
    processTypes: [{ type: processType, command: options.command, size: options.size ?? "standard-1x", quantity: options.quantity ?? 0, concurrency: options.concurrency ?? 2 }],
    config: options.config,
    ...(web ? {} : { jobs: { backend: "sidekiq" as const, redisUrl, namespace, version: 7 as const } }),
  });
  // Stored the way the dashboard stores it: min, max and the mode columns, the rest in settings.
  const row = rowFromRule(processRuleSchema.parse({ processType, minQuantity: 0, maxQuantity: 1, ...options.rule }), null);
  const tenant = await db.tenant.create({
    data: {
      channel: "heroku",
      herokuResourceId: randomUUID(),
      herokuAppId: app.id,
      appName: app.name,
      plan: options.plan ?? "pro",
      state: "active",
      agentTokenHash: options.agentToken ? hashAgentToken(options.agentToken) : null,
      processRules: { create: { processType, ...row } },
      queueSources: web
        ? undefined
        : options.push
          ? { create: { processType: "worker", mode: "push" } }
          : {
            create: {
              processType: "worker",
              mode: "probe",
              backend: "sidekiq",
              configSealed: seal(JSON.stringify({ backend: "sidekiq", url: redisUrl, namespace })).value,
              quietUrlSealed: options.quiet ? seal(redisUrl).value : null,
            },
          },
    },
    select: { id: true },
  });
  if (options.authorized !== false) {
    const token = sim.issueToken(account.id, ["identity", "write"]);
    await saveToken(tenant.id, "scaling", { access_token: token.accessToken, refresh_token: token.refreshToken, expires_in: token.expiresInSeconds, user_id: token.userId }, "test");
  }
  return { tenantId: tenant.id, appName: app.name, appId: app.id, namespace, accountId: account.id };
}

/** Deletes the Redis keys of a test's namespace (SCAN, not KEYS). */
export async function deleteNamespace(namespace: string): Promise<void> {
  const redis = new Redis(redisUrl);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${namespace}:*`, "COUNT", 500);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== "0");
  await redis.quit();
}

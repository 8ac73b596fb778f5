import type { IncomingMessage } from "node:http";
import type { Redis } from "ioredis";
import { z } from "zod";
import { rememberOwnFormationChange } from "@/lib/heroku-webhooks/webhook-notes";
import { herokuStatusKind, TokenFailure, type CheckFailureKind } from "@/lib/checks/failure-kind";
import { errorIdOf, platformClient, statusOf } from "@/lib/heroku/platform";
import { observeHerokuRemaining, takeHerokuCall } from "@/lib/heroku/rate-limit";
import { getAccessToken, TokenUnavailableError } from "@/lib/heroku/tokens";
import { herokuCallsTotal } from "@/lib/metrics";
import { errorCode, errorMessage } from "@/lib/queues/errors";

/**
 * The formation of a tenant's app, read and changed through the Platform API with the
 * tenant's scaling token, within the Heroku account's shared rate-limit bucket. Updates are
 * absolute quantities in one batch call, so repeating one is harmless.
 */
export interface HerokuTarget {
  tenantId: string;
  appRef: string;
  /** The Heroku account whose rate limit this spends. */
  account: string;
  redis: Redis;
  now?: () => number;
}

export type FormationOutcome =
  | { kind: "ok"; quantities: Record<string, number>; latencyMs: number; clamped: ClampNotice | null }
  /** No usable scaling authorization: record the decision, do not act. */
  | { kind: "not_authorized"; message: string }
  /** Not now (rate limit, a release in preboot): the next check decides again. */
  | { kind: "deferred"; message: string; failure: CheckFailureKind }
  | { kind: "failed"; message: string; status: number | null; failure: CheckFailureKind };

export interface ClampNotice {
  processType: string;
  requested: number;
  limit: number;
  message: string;
}

const formationListSchema = z.array(z.looseObject({ type: z.string(), quantity: z.number().int().min(0), size: z.string() }));

const MAX_ATTEMPTS = 3;
const BASE_BACKOFF_MS = 250;

class Deferred extends Error {}

function quantitiesOf(formation: z.infer<typeof formationListSchema>): Record<string, number> {
  return Object.fromEntries(formation.map((entry) => [entry.type, entry.quantity]));
}

/** One Platform API call with the bucket, header tracking, one token refresh on 401 and retries on 5xx. */
export async function call(target: HerokuTarget, method: "get" | "patch" | "post" | "delete", path: string, body?: unknown): Promise<unknown> {
  const now = target.now ?? Date.now;
  let refreshed = false;
  for (let attempt = 1; ; attempt += 1) {
    let take = await takeHerokuCall(target.redis, target.account, now());
    const token = await scalingToken(target);
    if (!take.allowed && (await resyncRateLimit(target, token))) take = await takeHerokuCall(target.redis, target.account, now());
    if (!take.allowed) throw new Deferred(`Heroku rate limit nearly used up for this account; next call in ${Math.ceil(take.waitMs / 1000)} s`);
    let remaining: number | null = null;
    const client = platformClient(token, (response: IncomingMessage) => {
      const header = response.headers["ratelimit-remaining"];
      const value = Number(Array.isArray(header) ? header[0] : header);
      if (Number.isFinite(value)) remaining = value;
    });
    try {
      const result = method === "get" || method === "delete" ? await client[method](path) : await client[method](path, { body });
      herokuCallsTotal.inc({ status: "2xx" });
      if (remaining !== null) await observeHerokuRemaining(target.redis, target.account, remaining, now());
      return result;
    } catch (error) {
      const status = statusOf(error);
      herokuCallsTotal.inc({ status: status ? String(status) : "network" });
      if (remaining !== null) await observeHerokuRemaining(target.redis, target.account, remaining, now());
      if (status === 429) {
        await observeHerokuRemaining(target.redis, target.account, 0, now());
        throw new Deferred("Heroku answered 429: this account's rate limit is used up; waiting for it to refill");
      }
      if (status === 401 && !refreshed) {
        refreshed = true;
        await scalingToken(target, true);
        continue;
      }
      // heroku-client already retries network errors itself (four times, with backoff); 5xx
      // answers it hands back at once, so those are retried here.
      const transient = status !== undefined && status >= 500;
      if (transient && attempt < MAX_ATTEMPTS) {
        const backoffMs = BASE_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random());
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        continue;
      }
      throw error;
    }
  }
}

/** The tenant's scaling token; a token that exists but cannot be used is a TokenFailure. */
async function scalingToken(target: HerokuTarget, force = false): Promise<string> {
  try {
    return await getAccessToken(target.tenantId, "scaling", { force });
  } catch (error) {
    if (error instanceof TokenUnavailableError) throw error;
    throw new TokenFailure(error);
  }
}

/** At most one free rate-limit read per account this often, while its bucket is empty. */
const RESYNC_EVERY_MS = 10_000;
const rateLimitsSchema = z.looseObject({ remaining: z.number().int().min(0) });

/**
 * Asks Heroku how many calls the account has left (GET /account/rate-limits costs none), so an
 * emptied bucket refills as soon as Heroku has, not at Ebbflow's conservative guess. True when
 * the bucket was updated.
 */
async function resyncRateLimit(target: HerokuTarget, token: string): Promise<boolean> {
  const now = target.now ?? Date.now;
  const gate = await target.redis.set(`ebbflow:heroku-resync:${target.account}`, "1", "PX", RESYNC_EVERY_MS, "NX");
  if (gate !== "OK") return false;
  try {
    const limits = rateLimitsSchema.parse(await platformClient(token).get("/account/rate-limits"));
    herokuCallsTotal.inc({ status: "2xx" });
    await observeHerokuRemaining(target.redis, target.account, limits.remaining, now());
    return true;
  } catch (error) {
    herokuCallsTotal.inc({ status: String(statusOf(error) ?? "network") });
    return false;
  }
}

export async function outcomeOf(run: () => Promise<FormationOutcome>): Promise<FormationOutcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TokenUnavailableError) return { kind: "not_authorized", message: error.message };
    if (error instanceof Deferred) return { kind: "deferred", message: error.message, failure: "rate_limited" };
    if (error instanceof TokenFailure) return { kind: "failed", message: error.message, status: null, failure: "token" };
    const status = statusOf(error) ?? null;
    const id = errorIdOf(error);
    if (status === 409 || (status === 422 && id === "conflict")) {
      return { kind: "deferred", message: "Heroku refused the change during a release; trying again at the next check", failure: "heroku_release" };
    }
    if (status === 401 || status === 403) {
      return { kind: "not_authorized", message: `Heroku refused Ebbflow's authorization (${status}); authorize scaling again` };
    }
    // Without a status, only a socket error (ECONNREFUSED, ETIMEDOUT, ...) is Heroku not
    // answering; anything else (an answer that did not parse, Ebbflow's own Redis) is internal.
    const failure = status !== null || errorCode(error) ? herokuStatusKind(status) : "internal";
    return { kind: "failed", message: `Heroku formation call failed: ${status ?? (failure === "internal" ? errorMessage(error) : "network error")}${id ? ` ${id}` : ""}`, status, failure };
  }
}

/** The app's current formation quantities, by process type. */
export function readFormation(target: HerokuTarget): Promise<FormationOutcome> {
  return outcomeOf(async () => {
    const started = Date.now();
    const formation = formationListSchema.parse(await call(target, "get", `/apps/${encodeURIComponent(target.appRef)}/formation`));
    return { kind: "ok", quantities: quantitiesOf(formation), latencyMs: Date.now() - started, clamped: null };
  });
}

/** "Cannot run more than 10 Performance-M size dynos per process type." → 10 */
export function limitFromMessage(message: string): number | null {
  const match = /more than (\d+)/i.exec(message);
  return match ? Number(match[1]) : null;
}

/**
 * Sets absolute quantities in one batch update. When Heroku refuses a quantity above a dyno
 * limit, the update is retried once, clamped to the limit Heroku names, and the clamp is
 * reported so the customer hears about it.
 */
export function updateFormation(target: HerokuTarget, updates: Array<{ type: string; quantity: number }>): Promise<FormationOutcome> {
  return outcomeOf(async () => {
    const path = `/apps/${encodeURIComponent(target.appRef)}/formation`;
    const started = Date.now();
    // Heroku's webhook for each change sent must not read as a change by hand.
    const send = async (sent: Array<{ type: string; quantity: number }>) => {
      await rememberOwnFormationChange(target.redis, target.tenantId, sent, (target.now ?? Date.now)());
      return formationListSchema.parse(await call(target, "patch", path, { updates: sent }));
    };
    try {
      const formation = await send(updates);
      return { kind: "ok", quantities: quantitiesOf(formation), latencyMs: Date.now() - started, clamped: null };
    } catch (error) {
      if (statusOf(error) !== 422 || errorIdOf(error) !== "cannot_run_above_limit") throw error;
      const message = z.object({ message: z.string() }).safeParse((error as { body?: unknown }).body);
      const limit = message.success ? limitFromMessage(message.data.message) : null;
      const over = updates.find((u) => limit !== null && u.quantity > limit) ?? updates[0];
      if (limit === null || !over) throw error;
      const clampedUpdates = updates.map((u) => ({ type: u.type, quantity: Math.min(u.quantity, limit) }));
      const formation = await send(clampedUpdates);
      return {
        kind: "ok",
        quantities: quantitiesOf(formation),
        latencyMs: Date.now() - started,
        clamped: { processType: over.type, requested: over.quantity, limit, message: message.success ? message.data.message : "" },
      };
    }
  });
}

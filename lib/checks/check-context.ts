import { z } from "zod";
import { plans, isPlanName } from "@/lib/billing/plans";
import { unseal } from "@/lib/crypto";
import { inputFromModeColumns, modeColumnsSelect, type ModeColumns } from "@/lib/dashboard/rule-record";
import { db } from "@/lib/db/client";
import { queueSourceSchema, type QueueSource } from "@/lib/queues/schema";
import { processRuleSchema, type ProcessRule, type ScalingRules } from "@/lib/scaling/rules";
import { reportUnreadableSource, UNREADABLE_SOURCE_PROBLEM } from "@/lib/checks/report-unreadable-source";
import { log } from "@/lib/log";

/**
 * How the engine may quiet a process type's dynos before removing them: Sidekiq's signal list
 * through the write URL the customer opted in with, or the push agent's answer.
 */
export type QuietChannel = { kind: "sidekiq"; url: string; namespace?: string } | { kind: "push" };

/** Where one process type's numbers come from, ready to use. */
export type ResolvedSource =
  | { mode: "probe"; source: QueueSource; key: string; quiet?: QuietChannel }
  | { mode: "push"; quiet?: QuietChannel };

/** Everything a check needs to know about a tenant, read from Postgres in one go. */
export interface CheckContext {
  tenantId: string;
  /** The app's id on Heroku (or its name until the add-on's grant exchange told us the id). */
  appRef: string;
  plan: string;
  checkIntervalSeconds: number;
  paused: boolean;
  dryRun: boolean;
  rules: ScalingRules;
  sources: Map<string, ResolvedSource>;
  /** Rules that could not be read, by process type, with why; those process types hold. */
  invalidRules: Map<string, string>;
  /** Queue sources that could not be decrypted, by process type, with why; those process types hold. */
  unreadableSources?: Map<string, string>;
  /** The Heroku account whose rate limit the scaling token spends, or null without one. */
  scalingAccount: string | null;
  /** When the add-on's webhooks last proved to work (a verified delivery or subscription check), if ever. */
  webhooksCheckedAtMs?: number | null;
}

const settingsSchema = z.record(z.string(), z.unknown());

/**
 * Parsed rules and opened sources, by the exact row content they came from. A context is
 * reloaded every CONTEXT_TTL_MS, about every other check, but its rows rarely change, and
 * the zod parse of a rule (every default filled in) and the decryption and parse of a source
 * were most of what a reload cost. Tenants whose rule rows are identical share one rule
 * object, frozen because it is shared. The memos start over past MEMO_LIMIT entries: a rough
 * bound that costs one parse per row when it happens.
 */
const MEMO_LIMIT = 50_000;
type ParsedRule = { rule: ProcessRule } | { error: string };
const ruleMemo = new Map<string, ParsedRule>();
const sourceMemo = new Map<string, { source: QueueSource; key: string }>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function parseRuleRow(row: { processType: string; minDynos: number; maxDynos: number; settings: unknown } & ModeColumns): ParsedRule {
  const columns = inputFromModeColumns(row);
  const memoKey = JSON.stringify([row.processType, row.minDynos, row.maxDynos, row.settings, columns]);
  const known = ruleMemo.get(memoKey);
  if (known) return known;
  const settings = settingsSchema.safeParse(row.settings);
  const parsed = processRuleSchema.safeParse({
    ...(settings.success ? settings.data : {}),
    ...columns,
    processType: row.processType,
    minQuantity: row.minDynos,
    maxQuantity: row.maxDynos,
  });
  return remember(
    ruleMemo,
    memoKey,
    parsed.success ? { rule: deepFreeze(parsed.data) } : { error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") },
  );
}

/** Opens a sealed source; throws when it cannot be read (reported once by reportUnreadableSource). */
function openSource(configSealed: string): { source: QueueSource; key: string } {
  const known = sourceMemo.get(configSealed);
  if (known) return known;
  const config = unseal(configSealed);
  return remember(sourceMemo, configSealed, { source: queueSourceSchema.parse(JSON.parse(config)), key: config });
}

/**
 * Reads the check contexts of a batch of tenants in one query. A tenant that is not active
 * (or is gone) maps to null: the schedule will drop it at the next reconciliation.
 */
export async function loadCheckContexts(tenantIds: string[]): Promise<Map<string, CheckContext | null>> {
  const tenants = await db.tenant.findMany({
    where: { id: { in: tenantIds }, state: "active" },
    select: {
      id: true,
      herokuAppId: true,
      appName: true,
      plan: true,
      paused: true,
      dryRun: true,
      herokuWebhookCheckedAt: true,
      processRules: { where: { enabled: true }, select: { processType: true, minDynos: true, maxDynos: true, settings: true, ...modeColumnsSelect } },
      queueSources: { select: { processType: true, mode: true, configSealed: true, quietUrlSealed: true } },
      tokens: { where: { kind: "scaling", revokedAt: null }, select: { herokuUserId: true } },
    },
  });
  const contexts = new Map<string, CheckContext | null>(tenantIds.map((id) => [id, null]));
  for (const tenant of tenants) {
    const plan = isPlanName(tenant.plan) ? plans[tenant.plan] : plans.hobby;
    const invalidRules = new Map<string, string>();
    const processTypes: ProcessRule[] = [];
    for (const row of tenant.processRules) {
      const parsed = parseRuleRow(row);
      if ("rule" in parsed) processTypes.push(parsed.rule);
      else invalidRules.set(row.processType, parsed.error);
    }
    const sources = new Map<string, ResolvedSource>();
    const unreadableSources = new Map<string, string>();
    for (const row of tenant.queueSources) {
      if (row.mode === "push") {
        // An agent that speaks protocol 2 reports its dynos and takes quiet instructions.
        sources.set(row.processType, { mode: "push", quiet: { kind: "push" } });
        continue;
      }
      if (!row.configSealed) continue;
      try {
        const opened = openSource(row.configSealed);
        const quiet: QuietChannel | undefined =
          row.quietUrlSealed && opened.source.backend === "sidekiq"
            ? { kind: "sidekiq", url: unseal(row.quietUrlSealed), namespace: opened.source.namespace }
            : undefined;
        sources.set(row.processType, { mode: "probe", ...opened, ...(quiet ? { quiet } : {}) });
      } catch (error) {
        unreadableSources.set(row.processType, UNREADABLE_SOURCE_PROBLEM);
        await reportUnreadableSource(tenant.id, row.processType, row.configSealed, error).catch((failure: unknown) =>
          log.warn({ tenantId: tenant.id, err: failure }, "could not record the unreadable queue source"),
        );
      }
    }
    const token = tenant.tokens[0];
    contexts.set(tenant.id, {
      tenantId: tenant.id,
      appRef: tenant.herokuAppId ?? tenant.appName,
      plan: plan.name,
      checkIntervalSeconds: plan.checkIntervalSeconds,
      paused: tenant.paused,
      dryRun: tenant.dryRun,
      rules: { checkIntervalSeconds: plan.checkIntervalSeconds, processTypes },
      sources,
      invalidRules,
      unreadableSources,
      scalingAccount: token ? (token.herokuUserId ?? `tenant:${tenant.id}`) : null,
      webhooksCheckedAtMs: tenant.herokuWebhookCheckedAt?.getTime() ?? null,
    });
  }
  return contexts;
}

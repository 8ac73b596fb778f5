import { z } from "zod";
import type { Prisma } from "@/lib/db/generated/client";
import type { ScalingMode } from "@/lib/db/generated/enums";
import { defaultRuleInput, processRuleSchema, type ProcessRule, type ProcessRuleInput } from "@/lib/scaling/rules";

/**
 * How a process type's rules sit in the database: `minDynos`/`maxDynos` columns, everything
 * else of processRuleSchema in `settings`, plus `dynoSize` (what the billing savings price the
 * process type at; the engine ignores it). The engine's check context reads rows the same way.
 */
export interface RuleRow extends ModeColumns {
  processType: string;
  enabled: boolean;
  minDynos: number;
  maxDynos: number;
  settings: unknown;
}

/** The rule's `mode`, `drainLimitSeconds` and `oneOff`, which have columns of their own. */
export interface ModeColumns {
  mode?: ScalingMode;
  drainLimitSeconds?: number;
  oneOffCommand?: string | null;
  oneOffSize?: string | null;
  oneOffTimeToLiveSeconds?: number | null;
}

/** The select that reads `ModeColumns`. */
export const modeColumnsSelect = {
  mode: true,
  drainLimitSeconds: true,
  oneOffCommand: true,
  oneOffSize: true,
  oneOffTimeToLiveSeconds: true,
} as const;

/** The rule input the mode columns hold (absent columns leave the schema's defaults). */
export function inputFromModeColumns(row: ModeColumns): Partial<ProcessRuleInput> {
  const oneOff = {
    ...(row.oneOffCommand ? { command: row.oneOffCommand } : {}),
    ...(row.oneOffSize ? { size: row.oneOffSize } : {}),
    ...(row.oneOffTimeToLiveSeconds ? { timeToLiveSeconds: row.oneOffTimeToLiveSeconds } : {}),
  };
  return {
    ...(row.mode ? { mode: row.mode === "one_off" ? "one-off" : "formation" } : {}),
    ...(row.drainLimitSeconds !== undefined ? { drainLimitSeconds: row.drainLimitSeconds } : {}),
    ...(Object.keys(oneOff).length > 0 ? { oneOff } : {}),
  };
}

const settingsSchema = z.record(z.string(), z.unknown());
const dynoSizeSchema = z.object({ dynoSize: z.string().min(1) });

/** The rule a row holds, defaults filled in; an unreadable row yields the defaults and why. */
export function ruleFromRow(row: RuleRow): { rule: ProcessRule; problem: string | null; dynoSize: string | null } {
  const settings = settingsSchema.safeParse(row.settings);
  const stored = settings.success ? settings.data : {};
  const input = { ...stored, ...inputFromModeColumns(row), processType: row.processType, minQuantity: row.minDynos, maxQuantity: row.maxDynos };
  const parsed = processRuleSchema.safeParse(input);
  const size = dynoSizeSchema.safeParse(stored);
  const dynoSize = size.success ? size.data.dynoSize : null;
  if (parsed.success) return { rule: parsed.data, problem: null, dynoSize };
  const problem = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
  return { rule: defaultRule(row.processType), problem, dynoSize };
}

/** The engine's defaults for a new process type (a web rule for `web`). */
export function defaultRule(processType: string, overrides: Partial<ProcessRuleInput> = {}): ProcessRule {
  return processRuleSchema.parse({ ...defaultRuleInput(processType), ...overrides });
}

/** The columns and settings JSON that store `rule`. */
export function rowFromRule(
  rule: ProcessRule,
  dynoSize: string | null,
): { minDynos: number; maxDynos: number; settings: Prisma.InputJsonObject } & Required<ModeColumns> {
  const { processType: _processType, minQuantity, maxQuantity, mode, drainLimitSeconds, oneOff, dynoSize: ruleDynoSize, ...rest } = rule;
  const size = dynoSize ?? ruleDynoSize;
  return {
    minDynos: minQuantity,
    maxDynos: maxQuantity,
    settings: size ? { ...rest, dynoSize: size } : { ...rest },
    mode: mode === "one-off" ? "one_off" : "formation",
    drainLimitSeconds,
    oneOffCommand: oneOff.command || null,
    oneOffSize: oneOff.size,
    oneOffTimeToLiveSeconds: oneOff.timeToLiveSeconds,
  };
}

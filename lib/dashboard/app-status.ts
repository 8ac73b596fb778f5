/** What the dashboard says about an app at a glance. */
export type AppStatusKind = "healthy" | "dry_run" | "paused" | "not_authorized" | "errors" | "setup" | "waiting" | "connecting";

export interface AppStatus {
  kind: AppStatusKind;
  /** A few words for a badge. */
  label: string;
  /** One sentence that says what is going on and, when something is wrong, what to do. */
  detail: string;
  tone: "ok" | "warn" | "bad" | "neutral";
}

export interface AppStatusInput {
  state: "provisioning" | "active" | "deprovisioned";
  paused: boolean;
  dryRun: boolean;
  /** A live Heroku authorization with the write scope exists. */
  authorized: boolean;
  lastError: string | null;
  lastCheckAt: Date | null;
  lastGoodCheckAt: Date | null;
  /** How many process types have rules. */
  ruleCount: number;
  checkIntervalSeconds: number;
  now: Date;
}

/** Checks later than this many intervals (plus a minute of slack) mean the scheduler is behind. */
const LATE_AFTER_INTERVALS = 3;

/**
 * One status for an app, the most pressing first: connecting, paused, failing checks, no
 * authorization, nothing to scale yet, checks not running, then healthy (or dry run).
 */
export function appStatus(input: AppStatusInput): AppStatus {
  if (input.state === "provisioning") {
    return { kind: "connecting", label: "Connecting", detail: "Ebbflow is finishing the connection to Heroku; this takes a few seconds.", tone: "neutral" };
  }
  if (input.paused) {
    return { kind: "paused", label: "Scaling paused", detail: "Autoscaling is paused: Ebbflow leaves the formation as it is. Resume it in Settings.", tone: "warn" };
  }
  const failing = input.lastError !== null && (input.lastGoodCheckAt === null || (input.lastCheckAt !== null && input.lastCheckAt > input.lastGoodCheckAt));
  if (failing) {
    return { kind: "errors", label: "Errors", detail: input.lastError ?? "The last check failed.", tone: "bad" };
  }
  if (!input.authorized) {
    return {
      kind: "not_authorized",
      label: "Not authorized",
      detail: "Ebbflow decides but cannot change dynos until someone who manages the app authorizes scaling.",
      tone: "warn",
    };
  }
  if (input.ruleCount === 0) {
    return { kind: "setup", label: "Needs rules", detail: "Add rules and a queue source for a process type to start autoscaling.", tone: "neutral" };
  }
  const lateMs = (LATE_AFTER_INTERVALS * input.checkIntervalSeconds + 60) * 1000;
  if (input.lastCheckAt === null || input.now.getTime() - input.lastCheckAt.getTime() > lateMs) {
    return {
      kind: "waiting",
      label: "Waiting for checks",
      detail: input.lastCheckAt === null ? "No check has run yet; the first one is due within a check interval." : "Checks are late: Ebbflow is catching up.",
      tone: "neutral",
    };
  }
  if (input.dryRun) {
    return { kind: "dry_run", label: "Dry run", detail: "Ebbflow decides and records, but does not change dynos. Turn dry run off in Settings.", tone: "neutral" };
  }
  return { kind: "healthy", label: "Healthy", detail: "Checks are running and the formation follows the rules.", tone: "ok" };
}

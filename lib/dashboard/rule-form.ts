import type { z } from "zod";
import type { ProcessRule } from "@/lib/scaling/rules";
import type { ScheduleWindow } from "@/lib/scaling/schedule-window";

/**
 * The rules form: one field per knob of processRuleSchema, by its path in the rule. The form
 * keeps what people type as text and turns it into the schema's input; the schema (the same
 * one the server and the engine use) then says what is wrong, field by field.
 */
export type FieldKind = "int" | "number" | "optionalNumber" | "optionalInt" | "bool" | "select" | "list" | "text";

/** Which rules a field or group belongs to: job queues, web request queue time, or both when absent. */
export type RuleKind = ProcessRule["kind"];

export interface RuleField {
  path: string;
  label: string;
  kind: FieldKind;
  help: string;
  unit?: string;
  options?: readonly string[];
  only?: RuleKind;
  /** The label on a web rule, where it differs. */
  webLabel?: string;
}

export interface RuleFieldGroup {
  title: string;
  fields: RuleField[];
  only?: RuleKind;
}

export const ruleFieldGroups: RuleFieldGroup[] = [
  {
    title: "Dynos",
    fields: [
      {
        path: "kind",
        label: "Scale on",
        kind: "select",
        options: ["queue", "web"],
        help: "queue: job queues (depth and latency, from the source on the Sources page). web: request queue time reported by the agents' web middleware, for the Procfile's web process.",
      },
      { path: "minQuantity", label: "Minimum dynos", kind: "int", help: "Never fewer. 0 allows scaling to zero (web keeps at least 1)." },
      { path: "maxQuantity", label: "Maximum dynos", kind: "int", help: "Never more. Heroku runs Eco and Basic dynos one per process type, Performance at most 10, and 100 dynos an app." },
      {
        path: "concurrencyPerDyno",
        label: "Jobs per dyno at once",
        webLabel: "Requests per dyno at once",
        kind: "int",
        help: "Jobs: Sidekiq threads, BullMQ concurrency, Celery workers per dyno. Web: requests one dyno serves at once (Puma threads × workers).",
      },
      { path: "bootSeconds", label: "Boot time", kind: "number", unit: "s", help: "How long a new dyno takes to start taking jobs.", only: "queue" },
      {
        path: "waitTargetSeconds",
        label: "p95 wait target",
        kind: "optionalNumber",
        unit: "s",
        help: "How long 95 % of jobs may wait before a dyno takes them. Ebbflow keeps dynos warm, delays downscale and pre-warms only where that keeps waits under it. Blank: derived from the typical job time (30 s for jobs under a minute, 60 s under ten minutes, else 120 s).",
        only: "queue",
      },
      { path: "jobSeconds", label: "Typical job time", kind: "optionalNumber", unit: "s", help: "How long a median job runs. Blank: unknown (the wait target then defaults to 30 s).", only: "queue" },
    ],
  },
  {
    title: "Request queue time (web)",
    only: "web",
    fields: [
      { path: "web.percentile", label: "Percentile", kind: "select", options: ["p95", "p90"], help: "Of the time requests waited between Heroku's router and your app, over every dyno." },
      { path: "web.windowSeconds", label: "Window", kind: "int", unit: "s", help: "The agents' reports of this long are combined (10 to 600 s)." },
      { path: "web.upscaleThresholdMs", label: "Upscale queue time", kind: "number", unit: "ms", help: "Above this, dynos are added in proportion to how far above." },
      { path: "web.downscaleThresholdMs", label: "Downscale queue time", kind: "number", unit: "ms", help: "Below this, one dyno goes after the cooldown; between the two, nothing changes." },
      { path: "web.maxStep", label: "Upscale step", kind: "int", help: "Most dynos added per decision." },
      { path: "web.upscaleCooldownSeconds", label: "Upscale cooldown", kind: "number", unit: "s", help: "No second upscale sooner than this, while new dynos boot." },
      { path: "web.downscaleCooldownSeconds", label: "Downscale cooldown", kind: "number", unit: "s", help: "No downscale sooner than this after the last change." },
      {
        path: "web.targetUtilisation",
        label: "Target utilisation",
        kind: "number",
        help: "Never below the dynos the last window's requests need at this share of capacity (when the agent reports the service time), e.g. 0.7.",
      },
    ],
  },
  {
    title: "When to add dynos",
    only: "queue",
    fields: [
      { path: "metric", label: "Metric", kind: "select", options: ["both", "depth", "latency"], help: "Queue depth, the oldest job's age (latency), or both (the larger answer wins)." },
      { path: "jobsPerDyno", label: "Waiting jobs per dyno", kind: "optionalNumber", help: "Blank: the jobs-per-dyno figure above." },
      { path: "upscaleLatencySeconds", label: "Upscale latency", kind: "number", unit: "s", help: "Oldest job older than this adds dynos." },
      { path: "downscaleLatencySeconds", label: "Downscale latency", kind: "number", unit: "s", help: "Oldest job younger than this (or no job) lets dynos go." },
      { path: "queues", label: "Queues", kind: "list", help: "Comma-separated; blank counts every queue the source reports." },
      { path: "upscale.mode", label: "Upscale", kind: "select", options: ["jump", "step"], help: "Jump straight to the needed quantity, or step at most N at a time." },
      { path: "upscale.maxStep", label: "Upscale step", kind: "int", help: "With step: most dynos added per decision." },
      { path: "upscale.cooldownSeconds", label: "Upscale cooldown", kind: "number", unit: "s", help: "No second upscale sooner than this." },
    ],
  },
  {
    title: "When to remove dynos",
    only: "queue",
    fields: [
      { path: "downscale.delaySeconds", label: "Downscale delay", kind: "optionalNumber", unit: "s", help: "Only down to the most wanted during this long. Blank: the boot time plus one check, what a dyno stopped too soon costs to bring back." },
      { path: "downscale.maxStep", label: "Downscale step", kind: "optionalInt", help: "Most dynos removed per decision; blank removes all unneeded at once." },
      { path: "downscale.busyAware", label: "Never stop a dyno that is running a job", kind: "bool", help: "Busy-aware downscale." },
      { path: "downscale.whenBusyDynosUnknown", label: "When busy dynos are unknown", kind: "select", options: ["drain", "count"], help: "Drain: remove none while any job runs. Count: keep busy ÷ concurrency dynos." },
      { path: "scaleToZero.idleSeconds", label: "Idle before zero", kind: "number", unit: "s", help: "With minimum 0: scale to zero after this long with no work." },
      { path: "scaleToZero.keepWarmAfterStarts", label: "Keep warm after starts", kind: "int", help: "Work started from idle this often in an hour keeps one dyno warm. 0: never." },
      { path: "scaleToZero.keepWarmSeconds", label: "Keep warm for", kind: "number", unit: "s", help: "How long the warm dyno stays." },
    ],
  },
  {
    title: "How dynos come and go",
    only: "queue",
    fields: [
      {
        path: "mode",
        label: "Mode",
        kind: "select",
        options: ["formation", "one-off"],
        help: "Formation: Ebbflow sets the number of dynos; where the source may quiet them (Sources page), the dynos about to go stop taking work and are removed only once idle, so no job is killed. One-off: Ebbflow starts run-to-completion one-off dynos that exit when the queues are empty and never stops one.",
      },
      { path: "drainLimitSeconds", label: "Drain limit", kind: "int", unit: "s", help: "Formation with quieting: past this, Ebbflow says the dynos are still draining. It keeps holding: a busy dyno is never stopped." },
      {
        path: "oneOff.command",
        label: "One-off command",
        kind: "text",
        help: "A command that exits when its queues are empty: rq worker --burst, bundle exec rake jobs:workoff, QUEUE=* INTERVAL=0 bundle exec rake resque:work, good_job start --idle-timeout=30, or a BullMQ worker that closes on drained. Sidekiq, Celery and Solid Queue have no such flag.",
      },
      {
        path: "oneOff.size",
        label: "One-off dyno size",
        kind: "text",
        help: "Heroku runs at most this many one-off dynos at once per app: Eco 1, Basic and Standard 50, Performance, Private and Shield 5. Ebbflow starts no more and says so when the limit binds.",
      },
      { path: "oneOff.timeToLiveSeconds", label: "One-off time to live", kind: "int", unit: "s", help: "Heroku stops a one-off dyno after this long (at most 24 h), whatever it runs: set it above your longest run." },
    ],
  },
  {
    title: "Pre-warming, counting and safety",
    fields: [
      { path: "prewarm.growth", label: "Pre-warm for a growing backlog", kind: "bool", help: "Start dynos for the backlog expected when they finish booting.", only: "queue" },
      { path: "prewarm.lastWeek", label: "Pre-warm from last week (Pro)", kind: "bool", help: "Start dynos for the load seen at this time last week.", only: "queue" },
      { path: "count.scheduled", label: "Count scheduled jobs", kind: "bool", help: "Jobs waiting for a future time.", only: "queue" },
      { path: "count.retries", label: "Count retries", kind: "bool", help: "Jobs waiting to be retried.", only: "queue" },
      { path: "fallback.staleAfterIntervals", label: "Stale after", kind: "number", unit: "checks", help: "Older metrics hold the formation; never downscale on stale data." },
      { path: "dryRun", label: "Dry run this process type", kind: "bool", help: "Decide and record, do not change dynos." },
      { path: "paused", label: "Pause this process type", kind: "bool", help: "Hold the formation as it is." },
    ],
  },
];

/** The groups, and their fields, a rule of `kind` shows (the others keep their values, unseen). */
export function ruleFieldGroupsFor(kind: RuleKind): RuleFieldGroup[] {
  return ruleFieldGroups
    .filter((group) => !group.only || group.only === kind)
    .map((group) => ({
      ...group,
      fields: group.fields
        .filter((field) => !field.only || field.only === kind)
        .map((field) => (kind === "web" && field.webLabel ? { ...field, label: field.webLabel } : field)),
    }))
    .filter((group) => group.fields.length > 0);
}

export type FormValues = Record<string, string | boolean>;

/** A schedule window as the form edits it (quantities as text). */
export interface ScheduleDraft {
  name: string;
  days: string[];
  start: string;
  end: string;
  timeZone: string;
  minQuantity: string;
  maxQuantity: string;
}

function valueAt(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The form's text for a stored rule. */
export function ruleToFormValues(rule: ProcessRule): FormValues {
  const values: FormValues = {};
  for (const field of ruleFieldGroups.flatMap((g) => g.fields)) {
    const value = valueAt(rule, field.path);
    if (field.kind === "bool") values[field.path] = value === true;
    else if (field.kind === "list") values[field.path] = Array.isArray(value) ? value.join(", ") : "";
    else values[field.path] = value === null || value === undefined ? "" : String(value);
  }
  return values;
}

export function scheduleToDraft(window: ScheduleWindow): ScheduleDraft {
  return {
    name: window.name ?? "",
    days: [...window.days],
    start: window.start,
    end: window.end,
    timeZone: window.timeZone,
    minQuantity: window.minQuantity === undefined ? "" : String(window.minQuantity),
    maxQuantity: window.maxQuantity === undefined ? "" : String(window.maxQuantity),
  };
}

/** Text to a number; text that is not a number stays text, so the schema names the field. */
function numberFrom(text: string): number | string {
  const trimmed = text.trim();
  const n = Number(trimmed);
  return trimmed !== "" && Number.isFinite(n) ? n : trimmed;
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let current = target;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (typeof next !== "object" || next === null) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (last) current[last] = value;
}

/** The schema input the form describes; blank optional fields are left out so defaults apply. */
export function formValuesToInput(processType: string, values: FormValues, schedules: ScheduleDraft[]): Record<string, unknown> {
  const input: Record<string, unknown> = { processType };
  for (const field of ruleFieldGroups.flatMap((g) => g.fields)) {
    const raw = values[field.path];
    if (field.kind === "bool") {
      setAt(input, field.path, raw === true);
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (field.kind === "list") {
      setAt(input, field.path, text.split(",").map((s) => s.trim()).filter(Boolean));
    } else if (field.kind === "select" || field.kind === "text") {
      setAt(input, field.path, text.trim());
    } else if (text.trim() === "") {
      if (field.kind === "optionalNumber" || field.kind === "optionalInt") setAt(input, field.path, null);
      else setAt(input, field.path, "");
    } else {
      setAt(input, field.path, numberFrom(text));
    }
  }
  input.schedules = schedules.map((s) => ({
    ...(s.name.trim() ? { name: s.name.trim() } : {}),
    days: s.days,
    start: s.start,
    end: s.end,
    timeZone: s.timeZone,
    ...(s.minQuantity.trim() ? { minQuantity: numberFrom(s.minQuantity) } : {}),
    ...(s.maxQuantity.trim() ? { maxQuantity: numberFrom(s.maxQuantity) } : {}),
  }));
  return input;
}

/** Field path → message, from the schema's issues (the first issue per field wins). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join(".") || "rule";
    errors[path] ??= issue.message;
  }
  return errors;
}

/**
 * Field path → message from a refusal's issues (`{ path: "rule.minQuantity", message }`, as
 * lib/http answers a validation error), with the request's `rule.` prefix dropped; a refusal
 * without issues goes under `rule`, the form's own message.
 */
export function fieldErrorsFromIssues(issues: { path: string; message: string }[], message: string): Record<string, string> {
  if (issues.length === 0) return { rule: message };
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[issue.path.replace(/^rule\./, "") || "rule"] ??= issue.message;
  return errors;
}

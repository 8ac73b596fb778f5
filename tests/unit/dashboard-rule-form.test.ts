import { describe, expect, it } from "vitest";
import { fieldErrors, fieldErrorsFromIssues, formValuesToInput, ruleFieldGroups, ruleFieldGroupsFor, ruleToFormValues, scheduleToDraft } from "@/lib/dashboard/rule-form";
import { defaultRule, rowFromRule, ruleFromRow } from "@/lib/dashboard/rule-record";
import { saveRuleRequestSchema } from "@/lib/dashboard/save-process-rule";
import { processRuleSchema } from "@/lib/scaling/rules";

describe("the rules form", () => {
  it("has a field for every knob of processRuleSchema", () => {
    const paths = new Set(ruleFieldGroups.flatMap((g) => g.fields.map((f) => f.path.split(".")[0])));
    for (const key of Object.keys(processRuleSchema.shape)) {
      // The dyno size has its own picker beside the form (it prices the savings too).
      if (key === "processType" || key === "schedules" || key === "dynoSize") continue;
      expect(paths, key).toContain(key);
    }
  });

  it("round-trips a rule through the form's text unchanged", () => {
    const rule = processRuleSchema.parse({
      processType: "worker",
      minQuantity: 1,
      maxQuantity: 6,
      queues: ["default", "mailers"],
      jobsPerDyno: 25,
      downscale: { maxStep: 2, busyAware: false },
      schedules: [{ name: "office", days: ["mon", "fri"], start: "08:00", end: "18:00", timeZone: "Europe/Berlin", minQuantity: 2 }],
    });
    const input = formValuesToInput("worker", ruleToFormValues(rule), rule.schedules.map(scheduleToDraft));
    expect(processRuleSchema.parse(input)).toEqual(rule);
  });

  it("leaves blank optional numbers to their defaults and names bad fields", () => {
    const values = ruleToFormValues(processRuleSchema.parse({ processType: "worker" }));
    values.jobsPerDyno = "";
    values.maxQuantity = "-1";
    values["upscale.cooldownSeconds"] = "soon";
    const parsed = processRuleSchema.safeParse(formValuesToInput("worker", values, []));
    expect(parsed.success).toBe(false);
    const errors = parsed.success ? {} : fieldErrors(parsed.error.issues);
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(["maxQuantity", "upscale.cooldownSeconds"]));
    expect(errors.jobsPerDyno).toBeUndefined();
  });

  it("reads the server's field issues back onto the same paths", () => {
    const issues = [
      { path: "rule.maxQuantity", message: "Too small" },
      { path: "rule.schedules.0.start", message: "a 24-hour time" },
      { path: "rule.maxQuantity", message: "a second complaint" },
    ];
    expect(fieldErrorsFromIssues(issues, "rule.maxQuantity: Too small; …")).toEqual({ maxQuantity: "Too small", "schedules.0.start": "a 24-hour time" });
    expect(fieldErrorsFromIssues([], "Request body is not valid JSON")).toEqual({ rule: "Request body is not valid JSON" });
  });

  it("stores min and max as columns and the rest (with the dyno size) as settings, as the engine reads them", () => {
    const rule = processRuleSchema.parse({ processType: "worker", minQuantity: 2, maxQuantity: 9, concurrencyPerDyno: 10 });
    const row = rowFromRule(rule, "performance-m");
    expect(row).toMatchObject({ minDynos: 2, maxDynos: 9, settings: { concurrencyPerDyno: 10, dynoSize: "performance-m" } });
    expect(row.settings).not.toHaveProperty("processType");
    const read = ruleFromRow({ processType: "worker", enabled: true, ...row });
    // The size is the rule's too: a web rule's per-type limit depends on it.
    expect(read).toEqual({ rule: { ...rule, dynoSize: "performance-m" }, problem: null, dynoSize: "performance-m" });
    expect(ruleFromRow({ processType: "worker", enabled: true, minDynos: 5, maxDynos: 1, settings: {} }).problem).toContain("minQuantity");
  });

  it("shows the web knobs for a web rule and the job knobs for a queue rule, and round-trips a web rule", () => {
    const fieldsOf = (kind: "queue" | "web") => ruleFieldGroupsFor(kind).flatMap((g) => g.fields);
    const web = fieldsOf("web").map((f) => f.path);
    expect(web).toEqual(expect.arrayContaining(["kind", "minQuantity", "maxQuantity", "web.percentile", "web.upscaleThresholdMs", "web.downscaleThresholdMs", "dryRun", "paused"]));
    expect(web).not.toContain("upscaleLatencySeconds");
    expect(web).not.toContain("mode");
    expect(fieldsOf("web").find((f) => f.path === "concurrencyPerDyno")?.label).toBe("Requests per dyno at once");
    const queue = fieldsOf("queue").map((f) => f.path);
    expect(queue).toContain("upscaleLatencySeconds");
    expect(queue).not.toContain("web.percentile");

    // The Procfile's web type starts as a web rule with one dyno.
    const rule = defaultRule("web", { maxQuantity: 6, web: { percentile: "p90", upscaleThresholdMs: 300 } });
    expect(rule).toMatchObject({ kind: "web", minQuantity: 1, maxQuantity: 6, web: { percentile: "p90", upscaleThresholdMs: 300, downscaleThresholdMs: 50 } });
    expect(defaultRule("worker").kind).toBe("queue");
    expect(processRuleSchema.parse(formValuesToInput("web", ruleToFormValues(rule), []))).toEqual(rule);
  });

  it("checks a web rule's maximum against the dyno size picked beside the form", () => {
    const rule = { processType: "web", kind: "web", minQuantity: 1, maxQuantity: 3 };
    const refused = saveRuleRequestSchema.safeParse({ dynoSize: "basic", rule });
    expect(refused.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["rule.maxQuantity", "at most 1: basic dynos run at most 1 per process type on Heroku"]]);
    const saved = saveRuleRequestSchema.parse({ dynoSize: "performance-m", rule });
    expect(saved.rule.dynoSize).toBe("performance-m");
    expect(saveRuleRequestSchema.parse({ dynoSize: null, rule }).rule.dynoSize).toBeNull();
  });
});

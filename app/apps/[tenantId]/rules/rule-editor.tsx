"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { PreviewChart } from "./preview-chart";
import { postJson } from "./post-json";
import { ScheduleEditor } from "./schedule-editor";
import { dollars, TunePanel, waitText } from "./tune-panel";
import type { RulePreview } from "@/lib/dashboard/preview-rule";
import {
  fieldErrors,
  fieldErrorsFromIssues,
  formValuesToInput,
  ruleFieldGroupsFor,
  ruleToFormValues,
  type FormValues,
  type RuleField,
  type ScheduleDraft,
} from "@/lib/dashboard/rule-form";
import { processRuleSchema, type ProcessRule } from "@/lib/scaling/rules";
import type { Prediction } from "@/lib/tuning/propose";

export interface RuleEditorProps {
  tenantId: string;
  processType: string;
  isNew: boolean;
  initialValues: FormValues;
  initialSchedules: ScheduleDraft[];
  initialEnabled: boolean;
  initialDynoSize: string;
  dynoSizes: string[];
  schedulesAllowed: boolean;
  storedProblem: string | null;
}

const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm aria-invalid:border-red-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900";

/**
 * One process type's rules. Every change is checked with processRuleSchema, the schema the
 * server and the engine use, so an error shows beside its field before anything is sent; the
 * server checks again and its answer lands beside the same fields.
 */
export function RuleEditor(props: RuleEditorProps) {
  const router = useRouter();
  const formId = useId();
  const [values, setValues] = useState<FormValues>(props.initialValues);
  const [schedules, setSchedules] = useState<ScheduleDraft[]>(props.initialSchedules);
  const [enabled, setEnabled] = useState(props.initialEnabled);
  const [dynoSize, setDynoSize] = useState(props.initialDynoSize);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);
  const [busy, setBusy] = useState<"save" | "preview" | "remove" | null>(null);
  const [preview, setPreview] = useState<RulePreview | null>(null);
  // The prediction "Tune from history" made for the values it applied; edits make it stale.
  const [tuned, setTuned] = useState<{ values: FormValues; prediction: Prediction } | null>(null);

  const validate = (nextValues = values, nextSchedules = schedules, nextDynoSize = dynoSize) => {
    // The size picked below is the rule's too: a web rule's maximum depends on it.
    const parsed = processRuleSchema.safeParse({ ...formValuesToInput(props.processType, nextValues, nextSchedules), dynoSize: nextDynoSize || null });
    setErrors(parsed.success ? {} : fieldErrors(parsed.error.issues));
    return parsed;
  };

  const update = (path: string, value: string | boolean) => {
    const next = { ...values, [path]: value };
    setValues(next);
    setNotice(null);
    if (Object.keys(errors).length > 0) validate(next);
  };

  /** Saves `saved` through the one validated save path; true when the server took it. */
  const persist = async (saved: FormValues, what: string): Promise<boolean> => {
    setBusy("save");
    const result = await postJson<{ created: boolean }>(`/apps/${props.tenantId}/rules/save`, {
      enabled,
      dynoSize: dynoSize || null,
      rule: formValuesToInput(props.processType, saved, schedules),
    });
    setBusy(null);
    if (result.ok) {
      setNotice({ tone: "ok", text: `${what} Checks use the new rules for ${props.processType} within 15 seconds.` });
      router.refresh();
      return true;
    }
    setErrors(fieldErrorsFromIssues(result.issues, result.message));
    setNotice({ tone: "bad", text: `Not saved: ${result.message}` });
    return false;
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = validate();
    if (!parsed.success) {
      setNotice({ tone: "bad", text: "Some values are not valid: see the fields marked above." });
      return;
    }
    await persist(values, "Saved.");
  };

  const runPreview = async (previewed = values) => {
    const parsed = validate(previewed);
    if (!parsed.success) {
      setNotice({ tone: "bad", text: "Fix the marked values to preview them." });
      return;
    }
    setBusy("preview");
    const result = await postJson<RulePreview>(`/apps/${props.tenantId}/rules/preview`, { rule: formValuesToInput(props.processType, previewed, schedules) });
    setBusy(null);
    if (result.ok) setPreview(result.body);
    else setNotice({ tone: "bad", text: `Preview failed: ${result.message}` });
  };

  /** "Tune from history": the proposal into the form, saved as the Save button saves, then previewed. */
  const applyProposal = async (rule: ProcessRule, prediction: Prediction) => {
    const next = ruleToFormValues(rule);
    setValues(next);
    if (!validate(next).success) {
      setNotice({ tone: "bad", text: "The proposal did not pass the form's checks: see the fields marked above." });
      return;
    }
    if (!(await persist(next, "Proposal applied and saved."))) return;
    setTuned({ values: next, prediction });
    await runPreview(next);
  };

  const remove = async () => {
    if (!window.confirm(`Stop autoscaling ${props.processType} and delete its rules? Its history is kept.`)) return;
    setBusy("remove");
    const result = await postJson(`/apps/${props.tenantId}/rules/remove`, { processType: props.processType });
    setBusy(null);
    if (result.ok) router.refresh();
    else setNotice({ tone: "bad", text: `Not removed: ${result.message}` });
  };

  const field = (spec: RuleField) => {
    const id = `${formId}-${spec.path}`;
    const error = errors[spec.path];
    const describedBy = `${id}-help${error ? ` ${id}-error` : ""}`;
    const value = values[spec.path];
    if (spec.kind === "bool") {
      return (
        <div key={spec.path} className="flex items-start gap-2 sm:col-span-2">
          <input id={id} type="checkbox" className="mt-1 h-4 w-4" checked={value === true} onChange={(e) => update(spec.path, e.target.checked)} aria-describedby={describedBy} />
          <div>
            <label htmlFor={id} className="text-sm font-medium">
              {spec.label}
            </label>
            <p id={`${id}-help`} className="text-xs text-slate-600 dark:text-slate-400">
              {spec.help}
            </p>
          </div>
        </div>
      );
    }
    return (
      <div key={spec.path} className="flex flex-col gap-1">
        <label htmlFor={id} className="text-sm font-medium">
          {spec.label}
          {spec.unit ? <span className="font-normal text-slate-600 dark:text-slate-400"> ({spec.unit})</span> : null}
        </label>
        {spec.kind === "select" ? (
          <select id={id} className={inputClass} value={typeof value === "string" ? value : ""} onChange={(e) => update(spec.path, e.target.value)} aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
            {spec.options?.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={id}
            name={spec.path}
            className={inputClass}
            inputMode={spec.kind === "list" || spec.kind === "text" ? "text" : "decimal"}
            value={typeof value === "string" ? value : ""}
            onChange={(e) => update(spec.path, e.target.value)}
            onBlur={() => validate()}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
          />
        )}
        <p id={`${id}-help`} className="text-xs text-slate-600 dark:text-slate-400">
          {spec.help}
        </p>
        {error ? (
          <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-300" data-testid={`error-${spec.path}`}>
            {spec.label}: {error}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form noValidate onSubmit={save} aria-labelledby={`${formId}-title`} className="flex flex-col gap-5 rounded-lg border border-slate-200 p-5 dark:border-slate-800" data-testid={`rule-${props.processType}`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id={`${formId}-title`} className="text-lg font-semibold">
          {props.processType}
          {props.isNew ? <span className="ml-2 text-sm font-normal text-slate-600 dark:text-slate-400">(new, not saved)</span> : null}
        </h2>
        <div className="flex items-center gap-2">
          <input id={`${formId}-enabled`} type="checkbox" className="h-4 w-4" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <label htmlFor={`${formId}-enabled`} className="text-sm font-medium">
            Autoscale {props.processType}
          </label>
        </div>
      </div>
      {props.storedProblem ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-200">
          The stored rules could not be read ({props.storedProblem}); the form shows the defaults. Save to replace them.
        </p>
      ) : null}
      {ruleFieldGroupsFor(values.kind === "web" ? "web" : "queue").map((group) => (
        <fieldset key={group.title} className="flex flex-col gap-3">
          <legend className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300">{group.title}</legend>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">{group.fields.map(field)}</div>
        </fieldset>
      ))}
      <div className="flex flex-col gap-1 sm:w-1/4">
        <label htmlFor={`${formId}-size`} className="text-sm font-medium">
          Dyno size
        </label>
        <select
          id={`${formId}-size`}
          className={inputClass}
          value={dynoSize}
          onChange={(e) => {
            setDynoSize(e.target.value);
            if (values.kind === "web" || Object.keys(errors).length > 0) validate(values, schedules, e.target.value);
          }}
        >
          <option value="">standard-1x (default)</option>
          {props.dynoSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
        <p className="text-xs text-slate-600 dark:text-slate-400">Prices the cost and savings figures; for web, Heroku&apos;s per-type limit (Eco and Basic 1, Performance 10).</p>
      </div>
      <ScheduleEditor
        idPrefix={formId}
        schedules={schedules}
        allowed={props.schedulesAllowed}
        errors={errors}
        onChange={(next) => {
          setSchedules(next);
          if (Object.keys(errors).length > 0) validate(values, next);
        }}
      />
      {errors.rule ? <p className="text-sm text-red-700 dark:text-red-300">{errors.rule}</p> : null}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={busy !== null} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60">
          {busy === "save" ? "Saving…" : "Save rules"}
        </button>
        <button type="button" onClick={() => runPreview()} disabled={busy !== null} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800">
          {busy === "preview" ? "Replaying…" : "Preview on the last 24 h"}
        </button>
        {props.isNew ? null : (
          <button type="button" onClick={remove} disabled={busy !== null} className="text-sm text-red-700 underline dark:text-red-300">
            Delete rules
          </button>
        )}
      </div>
      {values.kind === "web" ? null : (
        <TunePanel
          tenantId={props.tenantId}
          processType={props.processType}
          values={values}
          ruleInput={() => (validate().success ? formValuesToInput(props.processType, values, schedules) : null)}
          dynoSize={dynoSize}
          disabled={busy !== null}
          onApply={applyProposal}
        />
      )}
      <div aria-live="polite">
        {notice ? (
          <p className={`text-sm ${notice.tone === "ok" ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`} role={notice.tone === "bad" ? "alert" : "status"}>
            {notice.text}
          </p>
        ) : null}
      </div>
      {preview ? (
        <section aria-label={`Preview for ${props.processType}`} className="flex flex-col gap-2" data-testid="preview">
          {tuned && tuned.values === values ? (
            <p className="text-sm" data-testid="preview-predicted">
              Predicted from the last 7 days for these rules: <strong>{dollars(tuned.prediction.monthlyDollars)}</strong> a month at a p95 wait of{" "}
              <strong>{waitText(tuned.prediction.p95WaitSeconds)}</strong> (Tune from history).
            </p>
          ) : null}
          {preview.samples === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-300">No samples in the last 24 h to replay yet: the preview needs recorded checks.</p>
          ) : (
            <>
              <p className="text-sm">
                Replayed {preview.samples.toLocaleString("en-US")} recorded checks through the engine: these rules would have made{" "}
                <strong>{preview.previewChanges}</strong> formation changes and run <strong>{preview.previewDynoHours.toFixed(1)}</strong> dyno-hours,
                against {preview.recordedChanges} changes and {preview.recordedDynoHours.toFixed(1)} dyno-hours recorded. The queue is the one
                that happened; a different formation would have drained it differently.
              </p>
              <PreviewChart preview={preview} />
              {preview.lastChanges.length > 0 ? (
                <ul className="list-disc pl-5 text-sm text-slate-700 dark:text-slate-300">
                  {preview.lastChanges.map((change) => (
                    <li key={change.atMs}>{change.reason}</li>
                  ))}
                </ul>
              ) : null}
            </>
          )}
        </section>
      ) : null}
    </form>
  );
}

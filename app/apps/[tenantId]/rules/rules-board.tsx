"use client";

import { useId, useState, type FormEvent } from "react";
import { RuleEditor, type RuleEditorProps } from "./rule-editor";
import { ruleToFormValues } from "@/lib/dashboard/rule-form";
import { defaultRuleInput, processRuleSchema } from "@/lib/scaling/rules";

type Shared = Pick<RuleEditorProps, "tenantId" | "dynoSizes" | "schedulesAllowed">;

/** The rules of every process type, plus a way to start rules for another one. */
export function RulesBoard({ shared, editors, limitNote }: { shared: Shared; editors: Omit<RuleEditorProps, keyof Shared>[]; limitNote: string | null }) {
  const inputId = useId();
  const [added, setAdded] = useState<Omit<RuleEditorProps, keyof Shared>[]>([]);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const all = [...editors, ...added.filter((a) => !editors.some((e) => e.processType === a.processType))];

  const add = (event: FormEvent) => {
    event.preventDefault();
    const parsed = processRuleSchema.shape.processType.safeParse(name.trim());
    if (!parsed.success) {
      setError(`Process type: ${parsed.error.issues[0]?.message ?? "not valid"}`);
      return;
    }
    if (all.some((e) => e.processType === parsed.data)) {
      setError(`Process type: ${parsed.data} already has rules below.`);
      return;
    }
    const defaults = processRuleSchema.parse(defaultRuleInput(parsed.data));
    setAdded([...added, { processType: parsed.data, isNew: true, initialValues: ruleToFormValues(defaults), initialSchedules: [], initialEnabled: true, initialDynoSize: "", storedProblem: null }]);
    setName("");
    setError(null);
  };

  return (
    <div className="flex flex-col gap-6">
      {all.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-sm dark:border-slate-700">
          No rules yet. Name the process type to autoscale (from your Procfile, usually <code>worker</code>) to start with Ebbflow&apos;s defaults.
        </p>
      ) : null}
      {all.map((editor) => (
        <RuleEditor key={editor.processType} {...shared} {...editor} />
      ))}
      <form onSubmit={add} noValidate className="flex flex-col gap-2 rounded-lg border border-slate-200 p-5 dark:border-slate-800">
        <label htmlFor={inputId} className="text-sm font-medium">
          Add rules for a process type
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id={inputId}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="worker"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${inputId}-error` : undefined}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900"
          />
          <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-800">
            Add
          </button>
        </div>
        {error ? (
          <p id={`${inputId}-error`} className="text-sm text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : null}
        {limitNote ? <p className="text-xs text-slate-600 dark:text-slate-400">{limitNote}</p> : null}
      </form>
    </div>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { fieldErrorsFromIssues } from "@/lib/dashboard/rule-form";
import { postJson } from "../rules/post-json";
import type { SourceSummary } from "@/lib/dashboard/describe-source";
import type { ConnectionTest } from "@/lib/dashboard/test-queue-source";
import { backends } from "@/lib/queues/schema";

const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900";

const urlHints: Record<string, string> = {
  sidekiq: "redis://… (your Sidekiq Redis)",
  resque: "redis://…",
  bullmq: "redis://…",
  celery: "redis://… or amqp(s)://… (the broker, e.g. CLOUDAMQP_URL)",
  rq: "redis://…",
  bull: "redis://…",
  dramatiq: "redis://…",
  delayed_job: "postgres://… or mysql://… (read-only user recommended)",
  good_job: "postgres://…",
  que: "postgres://…",
  solid_queue: "postgres://… or mysql://…",
  queue_classic: "postgres://…",
  amqp: "amqps://… (RabbitMQ, e.g. CLOUDAMQP_URL)",
  http: "https://your-app.example.com/hirefire/<token>/info",
};

export interface SourceEditorProps {
  tenantId: string;
  processType: string;
  mode: "probe" | "push" | null;
  summary: SourceSummary | null;
  problem: string | null;
  /** Whether a write URL for quieting dynos is stored (it is never shown). */
  quiet: boolean;
}

/**
 * A process type's queue connection: probe (Ebbflow reads the store) or push (the app's agent
 * reports). The stored URL is never sent to the browser; leaving the field blank keeps it.
 */
export function SourceEditor({ tenantId, processType, mode: storedMode, summary, problem, quiet: storedQuiet }: SourceEditorProps) {
  const router = useRouter();
  const id = useId();
  const [mode, setMode] = useState<"probe" | "push">(storedMode ?? "probe");
  const [backend, setBackend] = useState(summary?.backend ?? "sidekiq");
  const [url, setUrl] = useState("");
  const [queues, setQueues] = useState(summary?.queues.join(", ") ?? "");
  const [namespace, setNamespace] = useState(summary?.namespace ?? summary?.prefix ?? "");
  const [hirefireMetric, setHirefireMetric] = useState(summary?.hirefireMetric ?? "depth");
  const [managementUrl, setManagementUrl] = useState("");
  const rabbit = backend === "celery" || backend === "amqp";
  const [quiet, setQuiet] = useState(storedQuiet);
  const [quietUrl, setQuietUrl] = useState("");
  const [busy, setBusy] = useState<"test" | "save" | "remove" | null>(null);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [notice, setNotice] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);
  // Field → message, from the refusal's issues (queues.3 is shown under Queues).
  const [errors, setErrors] = useState<Record<string, string>>({});
  const errorFor = (field: string) => Object.entries(errors).find(([path]) => path === field || path.startsWith(`${field}.`))?.[1];

  const body = () =>
    mode === "push"
      ? { mode, processType }
      : {
          mode,
          processType,
          backend,
          url,
          queues: queues.split(",").map((q) => q.trim()).filter(Boolean),
          ...(backend === "sidekiq" ? { namespace } : { prefix: namespace }),
          ...(backend === "http" ? { hirefireMetric } : {}),
          ...(rabbit && managementUrl ? { managementUrl } : {}),
          ...(backend === "sidekiq" ? { quiet, quietUrl } : {}),
        };

  const runTest = async () => {
    setBusy("test");
    setTest(null);
    const result = await postJson<ConnectionTest>(`/apps/${tenantId}/sources/test`, body());
    setBusy(null);
    setErrors(result.ok ? {} : fieldErrorsFromIssues(result.issues, result.message));
    if (result.ok) setTest(result.body);
    else setTest({ ok: false, kind: "invalid_config", message: result.message });
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy("save");
    const result = await postJson(`/apps/${tenantId}/sources/save`, body());
    setBusy(null);
    setErrors(result.ok ? {} : fieldErrorsFromIssues(result.issues, result.message));
    if (result.ok) {
      setUrl("");
      setManagementUrl("");
      setNotice({ tone: "ok", text: `Saved. Checks read ${processType}'s queues this way within 15 seconds.` });
      router.refresh();
    } else {
      setNotice({ tone: "bad", text: `Not saved: ${result.message}` });
    }
  };

  const remove = async () => {
    if (!window.confirm(`Forget ${processType}'s queue connection? Ebbflow holds its dynos until a new one is set.`)) return;
    setBusy("remove");
    const result = await postJson(`/apps/${tenantId}/sources/remove`, { processType });
    setBusy(null);
    if (result.ok) router.refresh();
    else setNotice({ tone: "bad", text: `Not removed: ${result.message}` });
  };

  return (
    <form onSubmit={save} noValidate aria-labelledby={`${id}-title`} className="flex flex-col gap-4 rounded-lg border border-slate-200 p-5 dark:border-slate-800" data-testid={`source-${processType}`}>
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {processType}
      </h2>
      {summary ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Connected: {summary.backend} at <strong>{summary.host}</strong>
          {summary.namespace ? `, namespace ${summary.namespace}` : ""}
          {summary.prefix ? `, prefix ${summary.prefix}` : ""}
          {summary.managementHost ? `, management API at ${summary.managementHost}` : ""}
          {summary.queues.length ? `, queues ${summary.queues.join(", ")}` : ", every queue"}.
        </p>
      ) : storedMode === "push" ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">Connected: your app&apos;s agent pushes reports.</p>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-300">Not connected yet.</p>
      )}
      {problem ? <p role="alert" className="text-sm text-red-700 dark:text-red-300">{problem}</p> : null}
      <fieldset className="flex flex-wrap gap-4">
        <legend className="mb-1 text-sm font-medium">How Ebbflow reads the queues</legend>
        {(["probe", "push"] as const).map((m) => (
          <span key={m} className="inline-flex items-center gap-2">
            <input id={`${id}-${m}`} type="radio" name={`${id}-mode`} checked={mode === m} onChange={() => setMode(m)} />
            <label htmlFor={`${id}-${m}`} className="text-sm">
              {m === "probe" ? "Probe: Ebbflow reads the queue store" : "Push: my app's agent reports"}
            </label>
          </span>
        ))}
      </fieldset>
      {mode === "probe" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-backend`} className="text-sm font-medium">
              Job library
            </label>
            <select id={`${id}-backend`} className={inputClass} value={backend} onChange={(e) => setBackend(e.target.value)}>
              {backends.map((b) => (
                <option key={b} value={b}>
                  {b === "http" ? "HTTP endpoint (HireFire format)" : b}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-url`} className="text-sm font-medium">
              Connection URL
            </label>
            <input
              id={`${id}-url`}
              type="password"
              autoComplete="off"
              className={inputClass}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder={summary ? `stored (${summary.host}): leave blank to keep` : urlHints[backend]}
              aria-describedby={`${id}-url-help`}
              aria-invalid={errorFor("url") ? true : undefined}
            />
            {errorFor("url") ? <p className="text-sm text-red-700 dark:text-red-300">Connection URL: {errorFor("url")}</p> : null}
            <p id={`${id}-url-help`} className="text-xs text-slate-600 dark:text-slate-400">
              Stored encrypted; Ebbflow only reads. Shown back as its host only.
            </p>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-queues`} className="text-sm font-medium">
              Queues
            </label>
            <input id={`${id}-queues`} className={inputClass} value={queues} onChange={(e) => setQueues(e.target.value)} placeholder="default, mailers" aria-describedby={`${id}-queues-help`} aria-invalid={errorFor("queues") ? true : undefined} />
            {errorFor("queues") ? <p className="text-sm text-red-700 dark:text-red-300">Queues: {errorFor("queues")}</p> : null}
            <p id={`${id}-queues-help`} className="text-xs text-slate-600 dark:text-slate-400">Comma-separated; blank finds every queue.</p>
          </div>
          {backend === "http" ? (
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-metric`} className="text-sm font-medium">
                The endpoint reports
              </label>
              <select id={`${id}-metric`} className={inputClass} value={hirefireMetric} onChange={(e) => setHirefireMetric(e.target.value === "latency" ? "latency" : "depth")}>
                <option value="depth">queue size (job_queue_size)</option>
                <option value="latency">latency in seconds (job_queue_latency)</option>
              </select>
            </div>
          ) : (
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-namespace`} className="text-sm font-medium">
                {backend === "sidekiq" ? "Namespace" : "Key prefix"}
              </label>
              <input id={`${id}-namespace`} className={inputClass} value={namespace} onChange={(e) => setNamespace(e.target.value)} placeholder={backend === "bullmq" || backend === "bull" ? "bull" : backend === "dramatiq" ? "dramatiq" : "(none)"} />
            </div>
          )}
          {rabbit ? (
            <div className="flex flex-col gap-1 sm:col-span-2">
              <label htmlFor={`${id}-management`} className="text-sm font-medium">
                RabbitMQ management API URL (optional)
              </label>
              <input
                id={`${id}-management`}
                type="password"
                autoComplete="off"
                className={inputClass}
                value={managementUrl}
                onChange={(e) => setManagementUrl(e.target.value)}
                placeholder={summary?.managementHost ? `stored (${summary.managementHost}): leave blank to keep` : "https://host (CloudAMQP: your instance's host, port 443)"}
                aria-describedby={`${id}-management-help`}
              />
              <p id={`${id}-management-help`} className="text-xs text-slate-600 dark:text-slate-400">
                With an amqp(s):// URL: adds tasks a worker has taken but not finished (prefetched, waiting for their ETA, running) and the queue list. Uses the broker URL&apos;s credentials unless this URL has its own.
              </p>
            </div>
          ) : null}
          {backend === "sidekiq" ? (
            <div className="flex flex-col gap-2 sm:col-span-2">
              <div className="flex items-start gap-2">
                <input id={`${id}-quiet`} type="checkbox" className="mt-1 h-4 w-4" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} aria-describedby={`${id}-quiet-help`} />
                <label htmlFor={`${id}-quiet`} className="text-sm font-medium">
                  Quiet dynos before removing them (never kill a running job)
                </label>
              </div>
              <p id={`${id}-quiet-help`} className="text-xs text-slate-600 dark:text-slate-400">
                Heroku always stops the highest-numbered dynos, and a job that lands on one just before is killed. With this on, Ebbflow first tells those
                dynos&apos; Sidekiq processes to stop taking work (it pushes TSTP onto each process&apos;s <code>-signals</code> list, exactly what the
                Quiet button in Sidekiq&apos;s Web UI does), waits until they are idle, and only then removes them. That is a write to your Redis, so it
                needs a URL that may write; Ebbflow writes nothing else, and stores the URL encrypted. Without it, Ebbflow only reads.
              </p>
              {quiet ? (
                <input
                  id={`${id}-quiet-url`}
                  type="password"
                  autoComplete="off"
                  aria-label="Redis URL that may write"
                  className={inputClass}
                  value={quietUrl}
                  onChange={(e) => setQuietUrl(e.target.value)}
                  placeholder={storedQuiet ? "stored: leave blank to keep" : "redis://…  (may write)"}
                />
              ) : null}
            </div>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-300">The agent posts to EBBFLOW_URL with process_type “{processType}”: see the agent token and snippets below.</p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" onClick={runTest} disabled={busy !== null} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800">
          {busy === "test" ? "Testing…" : "Test connection"}
        </button>
        <button type="submit" disabled={busy !== null} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60">
          {busy === "save" ? "Saving…" : "Save connection"}
        </button>
        {storedMode ? (
          <button type="button" onClick={remove} disabled={busy !== null} className="text-sm text-red-700 underline dark:text-red-300">
            Remove
          </button>
        ) : null}
      </div>
      <div aria-live="polite" className="flex flex-col gap-2">
        {notice ? (
          <p role={notice.tone === "bad" ? "alert" : "status"} className={`text-sm ${notice.tone === "ok" ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}>
            {notice.text}
          </p>
        ) : null}
        {test ? <TestResult test={test} /> : null}
      </div>
    </form>
  );
}

function TestResult({ test }: { test: ConnectionTest }) {
  if (!test.ok) {
    return (
      <div role="alert" data-testid="test-error" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-200">
        <p className="font-medium">Connection failed ({test.kind.replaceAll("_", " ")})</p>
        <p>{test.message}</p>
      </div>
    );
  }
  const { result } = test;
  return (
    <div data-testid="test-readings" className="flex flex-col gap-2 rounded-md bg-emerald-50 p-3 text-sm text-emerald-950 dark:bg-emerald-950 dark:text-emerald-100">
      <p className="font-medium">
        Connected in {Math.round(result.durationMs)} ms: {result.totalDepth} jobs waiting
        {result.maxLatencyMs !== null ? `, oldest ${(result.maxLatencyMs / 1000).toFixed(1)} s` : ""}
        {result.busy !== null ? `, ${result.busy} running` : ""}.{test.note ? ` ${test.note}` : ""}
      </p>
      {result.queues.length > 0 ? (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Queues read just now</caption>
          <thead>
            <tr>
              <th scope="col" className="font-medium">Queue</th>
              <th scope="col" className="font-medium">Waiting</th>
              <th scope="col" className="font-medium">Oldest</th>
              <th scope="col" className="font-medium">Running</th>
            </tr>
          </thead>
          <tbody>
            {result.queues.map((q) => (
              <tr key={q.name}>
                <td>{q.name}</td>
                <td className="tabular-nums">{q.depth}</td>
                <td className="tabular-nums">{q.latencyMs === null ? "—" : `${(q.latencyMs / 1000).toFixed(1)} s`}</td>
                <td className="tabular-nums">{q.busy ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No queues found yet: they appear once a job has been enqueued.</p>
      )}
      {result.warnings.map((w) => (
        <p key={w}>Note: {w}</p>
      ))}
    </div>
  );
}

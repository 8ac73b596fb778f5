"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { postJson } from "../rules/post-json";
import { fieldErrorsFromIssues } from "@/lib/dashboard/rule-form";
import type { NotificationSettingsView } from "@/lib/notifications/notification-settings";

const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm aria-invalid:border-red-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900";

/** Who hears about failures and about hitting max. The webhook URL is write-only. */
export function NotificationsForm({ tenantId, settings, allowed }: { tenantId: string; settings: NotificationSettingsView; allowed: boolean }) {
  const router = useRouter();
  const [emails, setEmails] = useState(settings.emails.join(", "));
  const [webhookUrl, setWebhookUrl] = useState("");
  const [removeWebhook, setRemoveWebhook] = useState(false);
  const [onFailure, setOnFailure] = useState(settings.onFailure);
  const [onMax, setOnMax] = useState(settings.onMax);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await postJson(`/apps/${tenantId}/settings/notifications`, {
      emails: emails.split(/[,\s]+/).map((e) => e.trim()).filter(Boolean),
      webhookUrl,
      removeWebhook,
      onFailure,
      onMax,
    });
    setBusy(false);
    if (result.ok) {
      setErrors({});
      setWebhookUrl("");
      setRemoveWebhook(false);
      setNotice({ tone: "ok", text: "Notification settings saved." });
      router.refresh();
    } else {
      setErrors(fieldErrorsFromIssues(result.issues, result.message));
      setNotice({ tone: "bad", text: `Not saved: ${result.message}` });
    }
  };

  const sendTest = async () => {
    setBusy(true);
    const result = await postJson<{ results: { channel: string; status: string; detail: string | null }[] }>(`/apps/${tenantId}/settings/notifications/test`, {});
    setBusy(false);
    if (!result.ok) setNotice({ tone: "bad", text: `Test not sent: ${result.message}` });
    else if (result.body.results.length === 0) setNotice({ tone: "bad", text: "Nothing to send to: save an email address or a webhook first." });
    else {
      setNotice({ tone: "ok", text: result.body.results.map((r) => `${r.channel}: ${r.status.replace("_", " ")}${r.detail ? ` (${r.detail})` : ""}`).join("; ") });
      router.refresh();
    }
  };

  const emailError = Object.entries(errors).find(([key]) => key.startsWith("emails"))?.[1];
  return (
    <form onSubmit={save} noValidate aria-labelledby="notifications-heading" className="flex flex-col gap-4 rounded-lg border border-slate-200 p-5 dark:border-slate-800">
      <h2 id="notifications-heading" className="text-lg font-semibold">
        Notifications
      </h2>
      {!allowed ? <p className="text-sm text-slate-600 dark:text-slate-300">Notifications come with the Standard and Pro plans; you can set them up now and they start after an upgrade.</p> : null}
      <div className="flex flex-col gap-1">
        <label htmlFor="notify-emails" className="text-sm font-medium">
          Email addresses
        </label>
        <input id="notify-emails" className={inputClass} value={emails} onChange={(e) => setEmails(e.target.value)} placeholder="ops@example.com, oncall@example.com" aria-invalid={emailError ? true : undefined} aria-describedby="notify-emails-help" />
        <p id="notify-emails-help" className="text-xs text-slate-600 dark:text-slate-400">
          Up to 5, comma-separated. Email delivery is not switched on yet: Ebbflow records each email it would send below.
        </p>
        {emailError ? <p className="text-sm text-red-700 dark:text-red-300">Email addresses: {emailError}</p> : null}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="notify-webhook" className="text-sm font-medium">
          Webhook URL (Slack incoming webhook or your own endpoint)
        </label>
        <input id="notify-webhook" type="password" autoComplete="off" className={inputClass} value={webhookUrl} onChange={(e) => setWebhookUrl(e.target.value)} placeholder={settings.webhookHost ? `set (${settings.webhookHost}): leave blank to keep` : "https://hooks.slack.com/services/…"} aria-invalid={errors.webhookUrl ? true : undefined} aria-describedby="notify-webhook-help" />
        <p id="notify-webhook-help" className="text-xs text-slate-600 dark:text-slate-400">
          Ebbflow POSTs JSON with a <code>text</code> line Slack shows. Stored encrypted.
        </p>
        {errors.webhookUrl ? <p className="text-sm text-red-700 dark:text-red-300">Webhook URL: {errors.webhookUrl}</p> : null}
        {settings.webhookHost ? (
          <span className="inline-flex items-center gap-2">
            <input id="notify-remove" type="checkbox" checked={removeWebhook} onChange={(e) => setRemoveWebhook(e.target.checked)} />
            <label htmlFor="notify-remove" className="text-sm">
              Remove the webhook
            </label>
          </span>
        ) : null}
      </div>
      <fieldset className="flex flex-wrap gap-4">
        <legend className="mb-1 text-sm font-medium">Tell me when</legend>
        <span className="inline-flex items-center gap-2">
          <input id="notify-failure" type="checkbox" checked={onFailure} onChange={(e) => setOnFailure(e.target.checked)} />
          <label htmlFor="notify-failure" className="text-sm">
            Heroku refuses a scaling change
          </label>
        </span>
        <span className="inline-flex items-center gap-2">
          <input id="notify-max" type="checkbox" checked={onMax} onChange={(e) => setOnMax(e.target.checked)} />
          <label htmlFor="notify-max" className="text-sm">
            A process type is at its maximum and needs more
          </label>
        </span>
      </fieldset>
      <div className="flex flex-wrap gap-3">
        <button type="submit" disabled={busy} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60">
          Save notifications
        </button>
        <button type="button" onClick={sendTest} disabled={busy} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800">
          Send a test
        </button>
      </div>
      <div aria-live="polite">
        {notice ? (
          <p role={notice.tone === "bad" ? "alert" : "status"} className={`text-sm ${notice.tone === "ok" ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}>
            {notice.text}
          </p>
        ) : null}
      </div>
    </form>
  );
}

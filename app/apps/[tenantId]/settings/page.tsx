import { LocalTime } from "@/app/components/local-time";
import { planOrHobby } from "@/lib/billing/plans";
import { env } from "@/lib/env";
import { getNotificationSettings, listRecentDeliveries } from "@/lib/notifications/notification-settings";
import { requireTenantPage } from "@/lib/tenants/require-tenant-page";
import { DisconnectForm } from "./disconnect-form";
import { NotificationsForm } from "./notifications-form";
import { ScalingSettingsForm } from "./scaling-settings-form";

export const dynamic = "force-dynamic";

export default async function SettingsPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { tenant } = await requireTenantPage(tenantId, `/apps/${tenantId}/settings`);
  const [notifications, deliveries] = await Promise.all([getNotificationSettings(tenant.id), listRecentDeliveries(tenant.id)]);
  const plan = planOrHobby(tenant.plan);

  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-6 py-8">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold">Settings</h1>
      </header>
      <ScalingSettingsForm tenantId={tenant.id} paused={tenant.paused} dryRun={tenant.dryRun} />
      <NotificationsForm tenantId={tenant.id} settings={notifications} allowed={plan.features.notifications} />
      <section aria-labelledby="deliveries-heading" className="flex flex-col gap-2">
        <h2 id="deliveries-heading" className="text-base font-semibold">
          Recent notifications
        </h2>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">None sent yet.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {deliveries.map((d) => (
              <li key={d.id}>
                <span className="text-slate-600 dark:text-slate-400">
                  <LocalTime iso={d.occurredAt} />
                </span>{" "}
                {d.channel} · {d.status.replace("_", " ")}: {d.message}
                {d.detail ? <span className="text-slate-600 dark:text-slate-400"> ({d.detail})</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="danger-heading" className="flex flex-col gap-3 rounded-lg border border-red-300 p-5 dark:border-red-800">
        <h2 id="danger-heading" className="text-lg font-semibold text-red-800 dark:text-red-300">
          Danger zone
        </h2>
        {tenant.channel === "direct" ? (
          <>
            <p className="text-sm text-slate-700 dark:text-slate-300">
              Disconnecting stops autoscaling at once and revokes Ebbflow&apos;s Heroku authorization. Your dynos stay as they are.
              The scale history is kept for 30 days.
            </p>
            <DisconnectForm tenantId={tenant.id} appName={tenant.appName} />
          </>
        ) : (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            This app uses the Ebbflow add-on. To stop, remove it on Heroku:{" "}
            <code>
              heroku addons:destroy {env().HEROKU_ADDON_ID} -a {tenant.appName}
            </code>
            . Your dynos stay as they are, and the scale history is kept for 30 days.
          </p>
        )}
      </section>
    </main>
  );
}

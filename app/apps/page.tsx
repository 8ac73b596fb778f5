import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "@/lib/auth/get-session";
import { listMemberTenants } from "@/lib/tenants/list-member-tenants";

export const dynamic = "force-dynamic";

export default async function AppsPage() {
  const session = await getSession();
  if (!session) redirect("/signin?callbackUrl=/apps");
  const tenants = await listMemberTenants(session.sub);
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-6 px-6 py-10">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold">Your apps</h1>
        <Link href="/connect" className="text-indigo-600 underline dark:text-indigo-400">
          Connect an app
        </Link>
      </div>
      {tenants.length === 0 ? (
        <p className="text-slate-600 dark:text-slate-300">
          No apps yet. Add Ebbflow to an app with <code>heroku addons:create ebbflow</code>, or connect one directly.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {tenants.map((tenant) => (
            <li key={tenant.id} className="flex items-center justify-between px-4 py-3">
              <Link href={`/apps/${tenant.id}`} className="font-medium hover:underline">
                {tenant.appName}
              </Link>
              <span className="text-sm text-slate-500 dark:text-slate-400">{tenant.plan}</span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

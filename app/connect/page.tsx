import { redirect } from "next/navigation";
import { getSession } from "@/lib/auth/get-session";
import { ConnectAppForm } from "@/app/connect/connect-app-form";

export const dynamic = "force-dynamic";

export default async function ConnectPage() {
  const session = await getSession();
  if (!session) redirect("/signin?callbackUrl=/connect");
  return (
    <main className="mx-auto flex max-w-md flex-col gap-6 px-6 py-16">
      <h1 className="text-2xl font-bold">Connect an app</h1>
      <p className="text-slate-600 dark:text-slate-300">
        Connect a Heroku app without the add-on. Heroku asks you to let Ebbflow change this app&apos;s formation; the
        app is billed per month through Ebbflow.
      </p>
      <ConnectAppForm />
    </main>
  );
}

import { HerokuSignInButton } from "@/app/components/heroku-sign-in-button";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const target = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/apps";
  return (
    <main className="mx-auto flex max-w-md flex-col gap-6 px-6 py-20">
      <h1 className="text-2xl font-bold">Sign in to Ebbflow</h1>
      <p className="text-slate-600 dark:text-slate-300">
        Add-on customers: open Ebbflow from Heroku with <code>heroku addons:open ebbflow</code>. To connect an app
        without the add-on, sign in with your Heroku account.
      </p>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800 dark:bg-red-950 dark:text-red-200">
          Heroku sign-in did not complete ({error}). Try again.
        </p>
      ) : null}
      <HerokuSignInButton callbackUrl={target}>Sign in with Heroku</HerokuSignInButton>
    </main>
  );
}

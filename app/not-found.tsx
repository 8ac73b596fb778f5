import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex max-w-md flex-col gap-4 px-6 py-20">
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="text-slate-600 dark:text-slate-300">
        There is nothing here, or it belongs to an app you are not a member of.
      </p>
      <Link href="/apps" className="text-indigo-600 underline dark:text-indigo-400">
        Your apps
      </Link>
    </main>
  );
}

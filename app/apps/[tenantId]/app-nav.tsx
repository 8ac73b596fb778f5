"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const tabs = [
  { href: "", label: "Overview" },
  { href: "/rules", label: "Rules" },
  { href: "/sources", label: "Sources" },
  { href: "/events", label: "Events" },
  { href: "/settings", label: "Settings" },
  { href: "/billing", label: "Billing" },
] as const;

/** The app's sections; the current one is marked for assistive technology too. */
export function AppNav({ tenantId }: { tenantId: string }) {
  const pathname = usePathname() ?? "";
  const base = `/apps/${tenantId}`;
  return (
    <nav aria-label="App sections" className="border-b border-slate-200 dark:border-slate-800">
      <ul className="mx-auto flex max-w-5xl gap-1 overflow-x-auto px-6">
        {tabs.map((tab) => {
          const href = `${base}${tab.href}`;
          const current = tab.href === "" ? pathname === base : pathname.startsWith(href);
          return (
            <li key={tab.label}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className="inline-block border-b-2 border-transparent px-3 py-2.5 text-sm font-medium text-slate-600 hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 aria-[current=page]:border-indigo-600 aria-[current=page]:text-slate-900 dark:text-slate-300 dark:hover:text-white dark:aria-[current=page]:text-white"
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

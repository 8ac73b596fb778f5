import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

// Every page is rendered per request: the Content-Security-Policy's nonce (set in proxy.ts)
// changes each time, and Next.js can only put it on the scripts of a page it renders now.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Ebbflow: queue-based autoscaling for Heroku",
  description:
    "Ebbflow adds worker dynos when your job queues fill up and removes them when they drain, without killing running jobs.",
  icons: { icon: [{ url: "/favicon.svg", type: "image/svg+xml" }, { url: "/favicon.ico", sizes: "32x32" }] },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        {children}
      </body>
    </html>
  );
}

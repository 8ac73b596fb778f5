import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface AppRoute {
  /** The URL path with its dynamic segments left in, e.g. /heroku/resources/[id]. */
  pattern: string;
  /** The methods the file exports (pages: GET). */
  methods: string[];
  kind: "page" | "handler";
}

const appDir = path.resolve(import.meta.dirname, "../../../app");
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every page and route handler under app/, read from the files, so a new route is fuzzed too. */
export function discoverRoutes(dir = appDir): AppRoute[] {
  const found: AppRoute[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      found.push(...discoverRoutes(full));
      continue;
    }
    if (entry !== "page.tsx" && entry !== "route.ts") continue;
    const parts = path.relative(appDir, dir).split(path.sep).filter((part) => part && !/^\(.*\)$/.test(part));
    const pattern = `/${parts.join("/")}`;
    if (entry === "page.tsx") {
      found.push({ pattern, methods: ["GET"], kind: "page" });
      continue;
    }
    const source = readFileSync(full, "utf8");
    const exported = methods.filter((method) => new RegExp(`export (const|async function|function) ${method}\\b|as ${method}\\b`).test(source));
    found.push({ pattern, methods: exported, kind: "handler" });
  }
  return found;
}

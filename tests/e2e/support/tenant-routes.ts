import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface TenantRoute {
  /** The URL path with [tenantId] left in, e.g. /apps/[tenantId]/events. */
  pattern: string;
  method: string;
  kind: "page" | "handler";
  /** The file's source, to check that it calls the guard. */
  source: string;
}

const appDir = path.resolve(import.meta.dirname, "../../../app");
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every page and route handler under app/ whose path names a tenant: what the guard must cover. */
export function discoverTenantRoutes(dir = appDir): TenantRoute[] {
  const found: TenantRoute[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      found.push(...discoverTenantRoutes(full));
      continue;
    }
    const relative = path.relative(appDir, dir).split(path.sep).filter((part) => !/^\(.*\)$/.test(part));
    if (!relative.some((part) => part.includes("[tenantId]"))) continue;
    const pattern = `/${relative.join("/")}`;
    if (entry !== "page.tsx" && entry !== "route.ts") continue;
    const source = readFileSync(full, "utf8");
    if (entry === "page.tsx") found.push({ pattern, method: "GET", kind: "page", source });
    if (entry === "route.ts") {
      for (const method of methods) {
        const exported = new RegExp(`export (const|async function|function) ${method}\\b|as ${method}\\b`).test(source);
        if (exported) found.push({ pattern, method, kind: "handler", source });
      }
    }
  }
  return found;
}

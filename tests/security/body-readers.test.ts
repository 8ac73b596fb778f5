import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Finding 5, as a rule of the code: a request body is read only through lib/http/read-body.ts
 * (readJson and readForm use it), so a route added later cannot read an unbounded body.
 */
const root = path.resolve(import.meta.dirname, "../..");
const reader = path.join("lib", "http", "read-body.ts");
// Example agents in Ruby and Python, shown to customers: text, not Ebbflow's code.
const snippets = path.join("lib", "dashboard", "setup-snippets.ts");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === "generated" || entry === "node_modules") return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry) ? [full] : [];
  });
}

describe("request bodies", () => {
  it("are read nowhere but lib/http/read-body.ts", () => {
    const offenders: string[] = [];
    for (const file of [...sourceFiles(path.join(root, "app")), ...sourceFiles(path.join(root, "lib")), path.join(root, "proxy.ts")]) {
      if ([reader, snippets].includes(path.relative(root, file))) continue;
      const source = readFileSync(file, "utf8");
      if (/\b(request|req)\.(json|text|formData|arrayBuffer|blob)\(/.test(source) || /\b(request|req)\.body\b/.test(source)) {
        offenders.push(path.relative(root, file));
      }
    }
    expect(offenders).toEqual([]);
  });
});

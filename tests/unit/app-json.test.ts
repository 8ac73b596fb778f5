import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseEnv } from "@/lib/env";

/**
 * app.json, checked against Heroku's app.json schema reference (the fields it may have and
 * their types) and against Ebbflow itself: the processes exist in the Procfile, the scripts in
 * package.json, and the environment it gives (add-ons' URLs, generated secrets, values, the
 * variables the deployer must fill in) is one production Ebbflow accepts.
 */
const root = path.resolve(import.meta.dirname, "../..");
const envVarName = z.string().regex(/^[A-Z][A-Z0-9_]*$/);
const appJsonSchema = z
  .object({
    name: z.string().min(3).max(30),
    description: z.string().max(140).optional(),
    keywords: z.array(z.string()).optional(),
    website: z.url().optional(),
    repository: z.url().optional(),
    logo: z.url().optional(),
    success_url: z.string().optional(),
    stack: z.string().optional(),
    buildpacks: z.array(z.strictObject({ url: z.string().min(1) })).optional(),
    formation: z.record(z.string().regex(/^[a-z0-9_-]+$/), z.strictObject({ quantity: z.number().int().min(0), size: z.string().optional() })).optional(),
    addons: z.array(z.union([z.string(), z.strictObject({ plan: z.string().min(1), as: envVarName.optional(), options: z.record(z.string(), z.unknown()).optional() })])).optional(),
    env: z
      .record(
        envVarName,
        z.union([
          z.string(),
          z.strictObject({ description: z.string().optional(), value: z.string().optional(), required: z.boolean().optional(), generator: z.literal("secret").optional() }),
        ]),
      )
      .optional(),
    scripts: z.strictObject({ postdeploy: z.string().optional(), "pr-predestroy": z.string().optional() }).optional(),
    environments: z.record(z.string(), z.unknown()).optional(),
    image: z.string().optional(),
  })
  .strict();

const appJson = appJsonSchema.parse(JSON.parse(readFileSync(path.join(root, "app.json"), "utf8")));
const procfile = new Map(
  readFileSync(path.join(root, "Procfile"), "utf8")
    .split("\n")
    .filter((line) => line.includes(":"))
    .map((line) => [line.slice(0, line.indexOf(":")).trim(), line.slice(line.indexOf(":") + 1).trim()] as const),
);
const packageScripts = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"))).scripts;

describe("app.json", () => {
  it("follows Heroku's app.json schema", () => {
    expect(appJson.name).toBe("Ebbflow");
    expect(appJson.buildpacks).toEqual([{ url: "heroku/nodejs" }]);
  });

  it("provisions Heroku Postgres and Heroku Redis as DATABASE_URL and REDIS_URL", () => {
    const plans = (appJson.addons ?? []).map((addon) => (typeof addon === "string" ? { plan: addon } : addon));
    expect(plans).toContainEqual(expect.objectContaining({ plan: expect.stringMatching(/^heroku-postgresql:/), as: "DATABASE" }));
    expect(plans).toContainEqual(expect.objectContaining({ plan: expect.stringMatching(/^heroku-redis:/), as: "REDIS" }));
  });

  it("runs a web and a worker dyno from the Procfile, and migrates in the release phase", () => {
    expect(Object.keys(appJson.formation ?? {}).sort()).toEqual(["web", "worker"]);
    for (const [type, { quantity }] of Object.entries(appJson.formation ?? {})) {
      expect(procfile.has(type)).toBe(true);
      expect(quantity).toBeGreaterThanOrEqual(1);
    }
    expect(procfile.get("release")).toBe("npm run db:migrate");
  });

  it("runs scripts package.json defines", () => {
    for (const command of Object.values(appJson.scripts ?? {})) {
      const script = /^npm run ([\w:-]+)$/.exec(command ?? "")?.[1];
      expect(script && packageScripts[script]).toBeTruthy();
    }
  });

  it("generates every secret and gives production Ebbflow a complete environment", () => {
    const env = appJson.env ?? {};
    const generated = Object.entries(env).filter(([, spec]) => typeof spec === "object" && spec.generator === "secret").map(([name]) => name);
    expect(generated.sort()).toEqual(["ENCRYPTION_KEY", "HEROKU_ADDON_PASSWORD", "HEROKU_SSO_SALT", "METRICS_TOKEN", "NEXTAUTH_SECRET"]);
    // What Heroku sets up: the add-ons' URLs, each generated secret (64 hex digits), each value,
    // and what the deployer types in for the variables marked required without a value.
    const deployed: Record<string, string> = {
      DATABASE_URL: "postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1",
      REDIS_URL: "rediss://:p@ec2-1-2-3-4.compute-1.amazonaws.com:6380",
    };
    const typedIn: string[] = [];
    for (const [name, spec] of Object.entries(env)) {
      if (typeof spec === "string") deployed[name] = spec;
      else if (spec.generator === "secret") deployed[name] = "0123456789abcdef".repeat(4);
      else if (spec.value !== undefined) deployed[name] = spec.value;
      else if (spec.required !== false) {
        typedIn.push(name);
        deployed[name] = name.endsWith("_URL") ? "https://my-ebbflow.herokuapp.com" : `typed-${name.toLowerCase()}`;
      }
    }
    expect(typedIn.sort()).toEqual(["APP_URL", "HEROKU_OAUTH_ID", "HEROKU_OAUTH_SECRET", "HEROKU_PARTNER_CLIENT_SECRET"]);
    const parsed = parseEnv(deployed);
    expect(parsed.NODE_ENV).toBe("production");
    expect(Buffer.from(parsed.ENCRYPTION_KEY[0] ?? "", "base64")).toHaveLength(32);
    expect(parsed.DATABASE_POOL_MAX).toBe(5);
    // Without the variables the deployer fills in, production refuses to start.
    for (const name of typedIn) {
      const { [name]: _left, ...missing } = deployed;
      expect(() => parseEnv(missing)).toThrow(name);
    }
  });
});

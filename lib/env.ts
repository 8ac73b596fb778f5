import { z } from "zod";

/**
 * Every setting Ebbflow reads from the environment, validated once. Development and test get
 * defaults that work on a machine with local Postgres and Redis; production refuses to start
 * without its secrets, naming each missing or malformed variable.
 */
/** 32 bytes, base64; 64 hex digits (what Heroku's app.json `secret` generator makes) are accepted and re-encoded. */
const base64Key = z
  .string()
  .transform((value) => (/^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, "hex").toString("base64") : value))
  .refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes, base64-encoded");

const url = z.url({ message: "must be an absolute URL" });

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: url.refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// URL"),
  REDIS_URL: url.refine((v) => /^rediss?:\/\//.test(v), "must be a redis:// or rediss:// URL"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: url,
  ENCRYPTION_KEY: z
    .string()
    .transform((value) => value.split(",").map((key) => key.trim()).filter(Boolean))
    .pipe(z.array(base64Key).min(1, "needs at least one key")),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters"),
  NEXTAUTH_URL: url.optional(),
  HEROKU_ADDON_ID: z.string().min(1).default("ebbflow"),
  HEROKU_ADDON_PASSWORD: z.string().min(8, "must be at least 8 characters"),
  HEROKU_SSO_SALT: z.string().min(8, "must be at least 8 characters"),
  HEROKU_PARTNER_CLIENT_SECRET: z.string().min(1),
  HEROKU_OAUTH_ID: z.string().min(1),
  HEROKU_OAUTH_SECRET: z.string().min(1),
  HEROKU_API_URL: url.default("https://api.heroku.com"),
  HEROKU_ID_URL: url.default("https://id.heroku.com"),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_API_URL: url.optional(),
  SIM_PORT: z.coerce.number().int().min(1).max(65535).default(5100),
  /** When set, GET /metrics requires it as a bearer token. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).optional(),
  /**
   * "1" lets customer-given destinations (queue stores, pulls, webhooks) be loopback or private
   * addresses. For development, tests and the local demo only; production never sets it, and
   * a production process started with it logs a warning (see lib/net/resolve-destination.ts).
   */
  EBBFLOW_ALLOW_PRIVATE_TARGETS: z
    .enum(["0", "1", "true", "false"], { message: 'must be "1" or "0"' })
    .default("0")
    .transform((value) => value === "1" || value === "true"),
  /** Connections one process's Prisma pool opens at most (count them against the Postgres plan's limit). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /** PEM certificates (one or more) that Postgres's and Redis's certificates must chain to; without it, TLS is not verified. */
  TLS_CA_BUNDLE: z.string().includes("-----BEGIN CERTIFICATE-----", { message: "must hold PEM certificates" }).optional(),
  /** How often a worker reconciles the check schedule with Postgres. */
  EBBFLOW_MAINTENANCE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** The scheduler benchmark's Redis list of exact lags; unset in production. */
  EBBFLOW_BENCH_LAG_KEY: z.string().min(1).optional(),
  /** The `service` field of every log line. */
  EBBFLOW_SERVICE: z.string().min(1).default("ebbflow"),
  /** Web processes per dyno (scripts/serve.mjs); Heroku's Node.js support sets it from the dyno size. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
});

export type Env = z.infer<typeof schema>;

/** Values that make development and tests work with no secrets set. Never used in production. */
export function developmentDefaults(nodeEnv: string | undefined): Record<string, string> {
  const isTest = nodeEnv === "test";
  const port = process.env.PORT ?? "3000";
  return {
    DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${isTest ? "ebbflow_test" : "ebbflow_dev"}`,
    REDIS_URL: "redis://127.0.0.1:6379",
    APP_URL: `http://localhost:${port}`,
    // A fixed, public development key: it protects nothing and is refused in production.
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    NEXTAUTH_SECRET: "development-only-nextauth-secret",
    HEROKU_ADDON_PASSWORD: "development-addon-password",
    HEROKU_SSO_SALT: "development-sso-salt",
    HEROKU_PARTNER_CLIENT_SECRET: "development-partner-secret",
    HEROKU_OAUTH_ID: "development-oauth-id",
    HEROKU_OAUTH_SECRET: "development-oauth-secret",
    // Local queue stores and webhooks live on loopback; production refuses private targets.
    EBBFLOW_ALLOW_PRIVATE_TARGETS: "1",
  };
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Validates `source` (process.env by default); throws EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const nodeEnv = source.NODE_ENV;
  const withDefaults =
    nodeEnv === "production" ? { ...source } : { ...developmentDefaults(nodeEnv), ...dropEmpty(source) };
  const result = schema.safeParse(withDefaults);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".") || "(environment)";
        const message = issue.code === "invalid_type" ? "is required" : issue.message;
        return `${name} ${message}`;
      }),
    );
  }
  return result.data;
}

function dropEmpty(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""),
  );
}

/**
 * One setting, checked by the same schema without requiring the others: for what runs as a
 * module loads (the logger), before the rest of the environment may be complete.
 */
export function envSetting<K extends keyof Env>(name: K, source: Record<string, string | undefined> = process.env): Env[K] {
  const value = source[name] === "" ? undefined : source[name];
  const result = schema.shape[name].safeParse(value);
  if (!result.success) throw new EnvError(result.error.issues.map((issue) => `${name} ${issue.code === "invalid_type" ? "is required" : issue.message}`));
  return result.data as Env[K];
}

let cached: Env | undefined;

/** The validated environment, parsed on first use (not at import, so `next build` needs no secrets). */
export function env(): Env {
  if (!cached) {
    cached = parseEnv();
    if (cached.NODE_ENV === "production" && cached.EBBFLOW_ALLOW_PRIVATE_TARGETS) {
      // Imported here, not at the top: the logger reads its own settings from this module as it loads.
      void import("@/lib/log").then(({ log }) =>
        log.warn(
          "EBBFLOW_ALLOW_PRIVATE_TARGETS is set: customer-given queue stores, pulls and webhooks may reach loopback and private addresses. Never set it on a public deployment.",
        ),
      );
    }
  }
  return cached;
}

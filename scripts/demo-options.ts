import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65535);

const optionsSchema = z.object({
  PORT: port.default(3000),
  SIM_PORT: port.default(5100),
  DEMO_SSO_PORT: port.optional(),
  DEMO_DATABASE_URL: z.url().refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// URL").default("postgresql://postgres@127.0.0.1:5432/ebbflow_demo"),
  DEMO_REDIS_URL: z.url().refine((v) => /^rediss?:\/\//.test(v), "must be a redis:// URL").default("redis://127.0.0.1:6379/1"),
  SMOKE_SCALE_UP_MS: z.coerce.number().int().min(1000).default(60_000),
});

export interface DemoOptions {
  webPort: number;
  simPort: number;
  ssoPort: number;
  databaseUrl: string;
  redisUrl: string;
  smoke: boolean;
  smokeTimeoutMs: number;
}

/**
 * The demo's settings, from its flags and environment: its ports (web, simulator, sign-in
 * link), its own database and Redis database (not `npm run dev`'s: the demo seals with its own
 * throwaway key, and its worker must not take `npm run dev`'s jobs), and `--smoke`.
 */
export function demoOptions(argv: string[], source: Record<string, string | undefined>): DemoOptions {
  const unknown = argv.filter((arg) => arg !== "--smoke");
  if (unknown.length > 0) throw new Error(`npm run demo: unknown argument ${unknown.join(" ")} (the only flag is --smoke)`);
  const parsed = optionsSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!parsed.success) throw new Error(`npm run demo: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  const o = parsed.data;
  return {
    webPort: o.PORT,
    simPort: o.SIM_PORT,
    ssoPort: o.DEMO_SSO_PORT ?? o.PORT + 1,
    databaseUrl: o.DEMO_DATABASE_URL,
    redisUrl: o.DEMO_REDIS_URL,
    smoke: argv.includes("--smoke"),
    smokeTimeoutMs: o.SMOKE_SCALE_UP_MS,
  };
}

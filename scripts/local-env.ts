/**
 * The environment of a production-mode Ebbflow (`next start`, the worker) run on this machine
 * for end-to-end tests, benchmarks and the demo: local services and throwaway secrets.
 */
export interface LocalEnvOptions {
  baseUrl: string;
  databaseUrl?: string;
  redisUrl?: string;
  herokuApiUrl?: string;
  herokuIdUrl?: string;
}

export const LOCAL_SECRETS = {
  HEROKU_ADDON_ID: "ebbflow",
  HEROKU_ADDON_PASSWORD: "local-addon-password",
  HEROKU_SSO_SALT: "local-sso-salt",
  HEROKU_PARTNER_CLIENT_SECRET: "local-partner-secret",
  HEROKU_OAUTH_ID: "local-oauth-client",
  HEROKU_OAUTH_SECRET: "local-oauth-secret",
} as const;

export function localEnv(options: LocalEnvOptions): Record<string, string> {
  return {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: options.databaseUrl ?? "postgresql://postgres@127.0.0.1:5432/ebbflow_test",
    REDIS_URL: options.redisUrl ?? "redis://127.0.0.1:6379",
    APP_URL: options.baseUrl,
    NEXTAUTH_URL: options.baseUrl,
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
    NEXTAUTH_SECRET: "local-only-nextauth-secret",
    ...LOCAL_SECRETS,
    ...(options.herokuApiUrl ? { HEROKU_API_URL: options.herokuApiUrl } : {}),
    ...(options.herokuIdUrl ? { HEROKU_ID_URL: options.herokuIdUrl } : {}),
    LOG_LEVEL: "warn",
    // Queue stores and webhooks of local runs are on loopback; a public deployment never sets this.
    EBBFLOW_ALLOW_PRIVATE_TARGETS: "1",
  };
}

import type { Env } from "@/lib/env";

/** The config vars Ebbflow sets on an app; provisioning answers with exactly these. */
export const CONFIG_VARS = ["EBBFLOW_URL"] as const;

export interface AddonManifest {
  id: string;
  name: string;
  api: {
    config_vars_prefix: string;
    config_vars: string[];
    password: string;
    sso_salt: string;
    regions: string[];
    requires: string[];
    production: { base_url: string; sso_url: string };
    test: { base_url: string; sso_url: string };
    version: "3";
  };
}

/**
 * The add-on manifest Heroku's Partner Portal takes (`heroku addons:admin:manifest:push`).
 * Production URLs come from APP_URL; test URLs point at a local development server.
 */
export function buildManifest(
  config: Pick<Env, "HEROKU_ADDON_ID" | "HEROKU_ADDON_PASSWORD" | "HEROKU_SSO_SALT" | "APP_URL">,
  testBaseUrl = "http://localhost:3000",
): AddonManifest {
  const at = (base: string, path: string) => new URL(path, base).toString();
  return {
    id: config.HEROKU_ADDON_ID,
    name: "Ebbflow",
    api: {
      config_vars_prefix: "EBBFLOW",
      config_vars: [...CONFIG_VARS],
      password: config.HEROKU_ADDON_PASSWORD,
      sso_salt: config.HEROKU_SSO_SALT,
      regions: ["us", "eu"],
      requires: [],
      production: { base_url: at(config.APP_URL, "/heroku/resources"), sso_url: at(config.APP_URL, "/heroku/sso") },
      test: { base_url: at(testBaseUrl, "/heroku/resources"), sso_url: at(testBaseUrl, "/heroku/sso") },
      version: "3",
    },
  };
}

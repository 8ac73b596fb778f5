import { describe, expect, it } from "vitest";
import { buildManifest, CONFIG_VARS } from "@/lib/heroku/manifest";

describe("buildManifest", () => {
  const manifest = buildManifest({
    HEROKU_ADDON_ID: "ebbflow",
    HEROKU_ADDON_PASSWORD: "secret-password",
    HEROKU_SSO_SALT: "salty-salt",
    APP_URL: "https://ebbflow.example.com",
  });

  it("describes a v3 add-on with the config vars provisioning returns", () => {
    expect(manifest.id).toBe("ebbflow");
    expect(manifest.api.version).toBe("3");
    expect(manifest.api.config_vars).toEqual([...CONFIG_VARS]);
    expect(manifest.api.regions).toEqual(["us", "eu"]);
    expect(manifest.api.password).toBe("secret-password");
    expect(manifest.api.sso_salt).toBe("salty-salt");
  });

  it("points production and test at the Partner API and SSO endpoints", () => {
    expect(manifest.api.production).toEqual({
      base_url: "https://ebbflow.example.com/heroku/resources",
      sso_url: "https://ebbflow.example.com/heroku/sso",
    });
    expect(manifest.api.test.base_url).toBe("http://localhost:3000/heroku/resources");
  });
});

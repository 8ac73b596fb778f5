import { computeSsoTokens } from "./sso-tokens";

/**
 * Calls the add-on the way Heroku does: the Add-on Partner API v3 (provision, plan change,
 * deprovision, with HTTP Basic auth of the manifest id and password) and the single sign-on
 * form post a browser makes on `heroku addons:open`.
 */

export interface HerokuDriverOptions {
  /** The add-on's base URL, e.g. http://127.0.0.1:3000; partner calls go to `/heroku/resources`. */
  addonBaseUrl: string;
  /** The manifest `id` (default "ebbflow"). */
  manifestId?: string;
  /** The manifest `api.password`. */
  password: string;
  /** The manifest `api.sso_salt`. */
  ssoSalt: string;
  /** The manifest `api.sso_url` (default `<addonBaseUrl>/heroku/sso`). */
  ssoUrl?: string;
  fetch?: typeof fetch;
  /** Epoch milliseconds for SSO timestamps (default Date.now; pass a sim clock's now). */
  now?: () => number;
}

export interface DriverResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the add-on answered JSON, else the text (empty string when none). */
  body: unknown;
}

/** Heroku's provision request body (Partner API v3). */
export interface ProvisionRequest {
  uuid: string;
  name: string;
  plan: string;
  region: string;
  callback_url: string;
  oauth_grant: { code: string; expires_at: string; type: "authorization_code" };
  options: Record<string, string>;
  log_input_url: string;
  log_drain_token: string;
}

/** Heroku's plan change request body. */
export interface PlanChangeRequest {
  plan: string;
  heroku_id?: string;
  uuid?: string;
}

export interface SsoRequest {
  /** The add-on resource's uuid (the provision request's `uuid`). */
  resourceId: string;
  /** The provider's own id for the resource (its provision answer's `id`); legacy `id` field. */
  providerId?: string;
  app: string;
  email: string;
  userId: string;
  /** The app the user came from in the dashboard (default `app`). */
  contextApp?: string;
  /** Heroku's navigation data blob (default: a base64 JSON describing the app). */
  navData?: string;
  /** Epoch seconds (default now). */
  timestamp?: number;
}

export class HerokuDriver {
  private readonly fetchImpl: typeof fetch;
  private readonly manifestId: string;

  constructor(private readonly options: HerokuDriverOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.manifestId = options.manifestId ?? "ebbflow";
  }

  /** POST /heroku/resources */
  provision(body: ProvisionRequest): Promise<DriverResponse> {
    return this.partnerCall("POST", "/heroku/resources", body);
  }

  /** PUT /heroku/resources/{id} */
  changePlan(resourceId: string, body: PlanChangeRequest): Promise<DriverResponse> {
    return this.partnerCall("PUT", `/heroku/resources/${encodeURIComponent(resourceId)}`, body);
  }

  /** DELETE /heroku/resources/{id} */
  deprovision(resourceId: string): Promise<DriverResponse> {
    return this.partnerCall("DELETE", `/heroku/resources/${encodeURIComponent(resourceId)}`);
  }

  /** The form fields of an SSO post, tokens computed from the manifest salt. */
  ssoFields(request: SsoRequest): Record<string, string> {
    const timestamp = String(request.timestamp ?? Math.floor((this.options.now ?? Date.now)() / 1000));
    const tokens = computeSsoTokens({
      resourceId: request.resourceId,
      legacyId: request.providerId,
      salt: this.options.ssoSalt,
      timestamp,
      userId: request.userId,
      email: request.email,
    });
    const navData =
      request.navData ??
      Buffer.from(JSON.stringify({ appname: request.app, addon: this.manifestId, addons: [] })).toString("base64");
    return {
      resource_id: request.resourceId,
      resource_token: tokens.resource_token,
      user_scoped_resource_token: tokens.user_scoped_resource_token,
      id: request.providerId ?? request.resourceId,
      token: tokens.token,
      timestamp,
      app: request.app,
      context_app: request.contextApp ?? request.app,
      email: request.email,
      user_id: request.userId,
      "nav-data": navData,
    };
  }

  /** The browser's form post to the SSO URL; redirects are returned, not followed. */
  sso(request: SsoRequest): Promise<DriverResponse> {
    const url = this.options.ssoUrl ?? `${this.options.addonBaseUrl}/heroku/sso`;
    return this.send(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(this.ssoFields(request)).toString(),
      redirect: "manual",
    });
  }

  private partnerCall(method: string, path: string, body?: unknown): Promise<DriverResponse> {
    const credentials = Buffer.from(`${this.manifestId}:${this.options.password}`).toString("base64");
    const headers: Record<string, string> = {
      Authorization: `Basic ${credentials}`,
      Accept: "application/vnd.heroku-addons+json; version=3",
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return this.send(`${this.options.addonBaseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  private async send(url: string, init: RequestInit): Promise<DriverResponse> {
    const response = await this.fetchImpl(url, init);
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get("content-type") ?? "").includes("json") && text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: response.status, headers: response.headers, body };
  }
}

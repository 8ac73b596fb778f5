import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

/**
 * A small add-on partner on loopback that speaks the Partner API v3 as a real partner would,
 * for testing the simulator's side of provisioning without Ebbflow: it checks Heroku's Basic
 * auth, records each call, and answers synchronously (200 with config vars), asynchronously
 * (202, then exchanges the grant, sets its config vars and calls the provision action on the
 * callback URL), or refuses (422 with a message).
 */

export type PartnerMode = "sync" | "async" | "refuse";

export interface PartnerCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

const provisionSchema = z.looseObject({
  uuid: z.string(),
  plan: z.string(),
  callback_url: z.url(),
  oauth_grant: z.looseObject({ code: z.string() }),
});
const tokenSchema = z.looseObject({ access_token: z.string() });

export interface PartnerStub {
  baseUrl: string;
  calls: PartnerCall[];
  mode: PartnerMode;
  /** Finished asynchronous provisionings (the callback answered 200). */
  callbacks: number;
  close(): Promise<void>;
}

export async function startPartnerStub(input: {
  manifestId: string;
  password: string;
  clientSecret: string;
  idUrl: string;
  configVar: string;
  asyncDelayMs?: number;
}): Promise<PartnerStub> {
  const expectedAuth = `Basic ${Buffer.from(`${input.manifestId}:${input.password}`).toString("base64")}`;
  const stub: PartnerStub = { baseUrl: "", calls: [], mode: "sync", callbacks: 0, close: async () => undefined };

  async function finishAsync(request: z.infer<typeof provisionSchema>): Promise<void> {
    const headers = { Accept: "application/vnd.heroku+json; version=3", "Content-Type": "application/json" };
    const tokenResponse = await fetch(`${input.idUrl}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: request.oauth_grant.code, client_secret: input.clientSecret }),
    });
    const token = tokenSchema.parse(await tokenResponse.json()).access_token;
    const auth = { ...headers, Authorization: `Bearer ${token}` };
    const config = await fetch(`${request.callback_url}/config`, {
      method: "PATCH",
      headers: auth,
      body: JSON.stringify({ config: [{ name: input.configVar, value: `https://partner.example/${request.uuid}` }] }),
    });
    if (!config.ok) throw new Error(`config update answered ${config.status}`);
    const done = await fetch(`${request.callback_url}/actions/provision`, { method: "POST", headers: auth });
    if (!done.ok) throw new Error(`provision action answered ${done.status}`);
    stub.callbacks += 1;
  }

  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const reply = (status: number, body?: unknown) => {
        res.writeHead(status, body === undefined ? {} : { "Content-Type": "application/json" });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      if (req.headers.authorization !== expectedAuth) return reply(401, { message: "Bad credentials" });
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const path = req.url ?? "/";
      stub.calls.push({ method: req.method ?? "GET", path, body });
      if (req.method === "POST" && path === "/heroku/resources") {
        if (stub.mode === "refuse") return reply(422, { message: "This partner takes no new customers today." });
        const request = provisionSchema.parse(body);
        if (stub.mode === "async") {
          setTimeout(() => void finishAsync(request).catch((error: unknown) => console.error("partner stub callback failed", error)), input.asyncDelayMs ?? 1000);
          return reply(202, { id: `partner-${request.uuid}`, message: "Provisioning in the background." });
        }
        return reply(200, { id: `partner-${request.uuid}`, config: { [input.configVar]: `https://partner.example/${request.uuid}` }, message: "Ready to go." });
      }
      if (req.method === "PUT" && path.startsWith("/heroku/resources/")) return reply(200, { message: `Moved to ${String(body.plan)}.` });
      if (req.method === "DELETE" && path.startsWith("/heroku/resources/")) return reply(204);
      return reply(404, { message: "Not found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stub.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return stub;
}

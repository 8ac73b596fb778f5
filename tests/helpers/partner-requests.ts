import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { parseEnv } from "@/lib/env";

const testEnv = parseEnv({ ...process.env, NODE_ENV: "test" });

/** The Basic auth header Heroku sends, from the test environment's manifest id and password. */
export function herokuAuth(password = testEnv.HEROKU_ADDON_PASSWORD, id = testEnv.HEROKU_ADDON_ID): string {
  return `Basic ${Buffer.from(`${id}:${password}`).toString("base64")}`;
}

export function provisionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: randomUUID(),
    plan: "standard",
    region: "amazon-web-services::us-east-1",
    callback_url: "https://api.heroku.com/addons/01234567-89ab-cdef-0123-456789abcdef",
    name: `ebbflow-test-${Math.random().toString(36).slice(2, 8)}`,
    options: {},
    log_input_url: "https://token:secret@example.com/logs",
    ...overrides,
  };
}

export function jsonRequest(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = { authorization: herokuAuth() },
): NextRequest {
  return new NextRequest(new URL(path, "http://localhost:3000"), {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The second argument Next.js passes a route handler. */
export function routeContext<Params extends Record<string, string>>(params: Params) {
  return { params: Promise.resolve(params) };
}

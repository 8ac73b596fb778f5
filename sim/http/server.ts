import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { platformApiRoutes } from "../platform/api-routes";
import type { HerokuSchema } from "../schema/heroku-schema";
import type { SimWorld } from "../world/sim-world";
import { handleAdminRequest } from "./admin-handler";
import { handleApiRequest } from "./api-handler";
import { handleOAuthRequest } from "./oauth-handler";
import { handleSsoRequest, ssoPathPattern } from "./sso-handler";
import type { ApiResponseEvent, SimRequest, SimResponse } from "./types";

export interface SimServerDeps {
  world: SimWorld;
  schema: HerokuSchema | null;
  urls: () => { apiUrl: string; idUrl: string };
  onApiResponse?: (event: ApiResponseEvent) => void;
}

const maxBodyBytes = 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error("request body too large"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, result: SimResponse): void {
  const headers: Record<string, string> = { "Request-Id": randomUUID(), ...result.headers };
  let payload = result.text ?? "";
  if (result.text === undefined && result.body !== undefined) {
    payload = JSON.stringify(result.body);
    headers["Content-Type"] = "application/json; charset=utf-8";
  }
  headers["Content-Length"] = String(Buffer.byteLength(payload));
  response.writeHead(result.status, headers);
  response.end(payload);
}

/**
 * One HTTP server for all of the simulated Heroku: the Platform API at the root, the ID side
 * at `/oauth/token` and `/oauth/authorize` (the same paths as on id.heroku.com), and the
 * simulator's admin API under `/__sim`.
 */
export function createSimServer(deps: SimServerDeps): Server {
  const routes = platformApiRoutes();
  return createServer((incoming, response) => {
    void (async () => {
      const url = new URL(incoming.url ?? "/", "http://sim.local");
      const request: SimRequest = {
        method: (incoming.method ?? "GET").toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        rawBody: await readBody(incoming),
        remoteAddress: incoming.socket.remoteAddress ?? "unknown",
      };
      if (request.path === "/__sim" || request.path.startsWith("/__sim/")) {
        send(response, await handleAdminRequest(deps.world, request, deps.urls()));
        return;
      }
      if (ssoPathPattern.test(request.path)) {
        send(response, handleSsoRequest(deps.world, request));
        return;
      }
      if (request.path === "/oauth/token" || request.path === "/oauth/authorize") {
        send(response, handleOAuthRequest(deps.world, request));
        return;
      }
      const result = await handleApiRequest(request, { world: deps.world, routes, schema: deps.schema });
      const event = {
        method: request.method,
        path: request.path,
        status: result.status,
        body: result.body,
        extraProperties: result.extraProperties,
      };
      deps.world.responseLog.record(event);
      try {
        deps.onApiResponse?.(event);
      } catch (error) {
        deps.world.logger.error({ err: error }, "onApiResponse hook failed");
      }
      send(response, result);
    })().catch((error: unknown) => {
      deps.world.logger.error({ err: error }, "simulator request failed");
      if (!response.headersSent) send(response, { status: 500, body: { id: "internal_server_error", message: "Internal server error." } });
      else response.destroy();
    });
  });
}

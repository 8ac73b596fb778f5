import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

type RouteHandler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface ServedRoute {
  method: string;
  /** A path pattern with `:name` segments, e.g. `/heroku/resources/:id`. */
  pattern: string;
  handler: RouteHandler;
}

/**
 * Ebbflow's route handlers behind a real HTTP server on loopback, for tests in which another
 * process (the simulated Heroku) must reach them: each request becomes the NextRequest Next.js
 * would hand the handler, with the path's parameters.
 */
export async function serveRoutes(routes: ServedRoute[]): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const compiled = routes.map((route) => ({
    ...route,
    names: [...route.pattern.matchAll(/:(\w+)/g)].map((match) => match[1] ?? ""),
    regex: new RegExp(`^${route.pattern.replace(/:\w+/g, "([^/]+)")}$`),
  }));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
      const route = compiled.find((candidate) => candidate.method === req.method && candidate.regex.test(url.pathname));
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      const values = route.regex.exec(url.pathname)?.slice(1) ?? [];
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(values[index] ?? "")]));
      const headers = Object.entries(req.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value] as [string, string]]));
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      route
        .handler(new NextRequest(url, { method: req.method, headers, body }), { params: Promise.resolve(params) })
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch((error: unknown) => {
          res.writeHead(500).end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

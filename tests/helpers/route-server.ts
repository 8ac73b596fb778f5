import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

// A route without dynamic segments gets empty params.
type RouteHandler = (request: NextRequest, context: { params: Promise<Record<string, never>> }) => Promise<Response>;

/**
 * Serves one App Router route handler over real HTTP on loopback, so a process outside the
 * test (an agent in a web dyno) can call Ebbflow's own code without a Next.js build: each
 * request on `path` becomes a NextRequest, the handler's Response is written back; anything
 * else is 404.
 */
export async function serveRoute(path: string, methods: Record<string, RouteHandler>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const handler = methods[req.method ?? ""];
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (!handler || url.pathname !== path) {
        res.writeHead(404).end();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      handler(new NextRequest(url, { method: req.method, headers, body }), { params: Promise.resolve({}) })
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

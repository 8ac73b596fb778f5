import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHttpLoad } from "@/sim/load/http-load";

let server: http.Server;
let url = "";
let open = 0;
let mostOpen = 0;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    setTimeout(() => {
      open -= 1;
      res.end("ok");
    }, 200);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("the HTTP load generator", () => {
  it("sends Poisson arrivals at the rate asked, never more than maxInFlight at once, and counts the rest as shed", async () => {
    const run = runHttpLoad({ url, rate: () => 50, maxRps: 50, durationSeconds: 2, maxInFlight: 3, seed: 4 });
    const summary = await run.done;
    // About 100 arrivals in 2 s; 3 slots of 200 ms serve about 30 of them.
    expect(summary.sent + summary.shed).toBeGreaterThan(70);
    expect(summary.sent + summary.shed).toBeLessThan(130);
    expect(mostOpen).toBeLessThanOrEqual(3);
    expect(summary.shed).toBeGreaterThan(30);
    expect(summary.byStatus["200"]).toBe(summary.sent);
    expect(summary.responseMs?.p50).toBeGreaterThanOrEqual(190);
  });

  it("stops sending when stopped", async () => {
    const run = runHttpLoad({ url, rate: () => 20, maxRps: 20, durationSeconds: 60, maxInFlight: 100, seed: 5 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    run.stop();
    const summary = await run.done;
    expect(summary.sent).toBeGreaterThan(0);
    expect(summary.sent).toBeLessThan(30);
  });
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Rng } from "@/bench/policy/rng";
import { HttpRouter } from "@/sim/router/http-router";
import { RoutingCore } from "@/sim/router/routing-core";

describe("the routing core", () => {
  it("picks a dyno at random among those that take requests, evenly over many requests", () => {
    const rng = new Rng(7);
    const core = new RoutingCore<number>(() => rng.next());
    for (const name of ["web.1", "web.2", "web.3", "web.4"]) core.addDyno(name, 1_000_000);
    const counts = new Map<string, number>();
    for (let i = 0; i < 40_000; i += 1) {
      const placement = core.route(i);
      if (placement) counts.set(placement.dyno, (counts.get(placement.dyno) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["web.1", "web.2", "web.3", "web.4"]);
    // 10 000 expected each; the binomial's sd is about 87, so 500 off would be a biased pick.
    for (const count of counts.values()) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it("does not look at how busy a dyno is: a request queues at a busy dyno while another is idle", () => {
    const draws = [0.1, 0.1, 0.1]; // always the first dyno
    const core = new RoutingCore<string>(() => draws.shift() ?? 0.9);
    core.addDyno("web.1", 2);
    core.addDyno("web.2", 2);
    expect(core.route("a")).toEqual({ dyno: "web.1", startsNow: true });
    expect(core.route("b")).toEqual({ dyno: "web.1", startsNow: true });
    expect(core.route("c")).toEqual({ dyno: "web.1", startsNow: false });
    expect(core.load("web.1")).toEqual({ inFlight: 2, waiting: 1 });
    expect(core.load("web.2")).toEqual({ inFlight: 0, waiting: 0 });
  });

  it("serves the requests waiting at a dyno first in, first out as its slots free", () => {
    const core = new RoutingCore<string>(() => 0);
    core.addDyno("web.1", 1);
    for (const request of ["a", "b", "c"]) core.route(request);
    expect(core.finish("web.1")).toBe("b");
    expect(core.finish("web.1")).toBe("c");
    expect(core.finish("web.1")).toBeUndefined();
    expect(core.isIdle("web.1")).toBe(true);
  });

  it("sends a stopping dyno no new request, lets it finish what it holds, and answers null with no dyno up", () => {
    const rng = new Rng(3);
    const core = new RoutingCore<number>(() => rng.next());
    core.addDyno("web.1", 1);
    core.addDyno("web.2", 1);
    const first = core.route(0);
    expect(first).not.toBeNull();
    const stopping = first?.dyno ?? "";
    core.route(1);
    core.route(2);
    const heldByStopping = core.load(stopping);
    core.stopRouting(stopping);
    expect(core.routableDynos()).toEqual(["web.1", "web.2"].filter((name) => name !== stopping));
    for (let i = 3; i < 200; i += 1) expect(core.route(i)?.dyno).not.toBe(stopping);
    expect(core.load(stopping)).toEqual(heldByStopping);
    // What waited at the stopping dyno is still served there.
    for (let i = 0; i < heldByStopping.waiting; i += 1) expect(core.finish(stopping)).toBeDefined();
    core.stopRouting(stopping === "web.1" ? "web.2" : "web.1");
    expect(core.route(999)).toBeNull();
  });

  it("hands back the requests still waiting when a dyno is removed", () => {
    const core = new RoutingCore<string>(() => 0);
    core.addDyno("web.1", 1);
    for (const request of ["a", "b", "c"]) core.route(request);
    expect(core.removeDyno("web.1")).toEqual(["b", "c"]);
    expect(core.route("d")).toBeNull();
  });
});

describe("the HTTP router", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  /** A dyno's server answering after `serviceMs` with what it saw. */
  async function upstream(name: string, serviceMs: number) {
    const seen: { name: string; requestStart: string | undefined; receivedAtMs: number }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ name, requestStart: req.headers["x-request-start"] as string | undefined, receivedAtMs: Date.now() });
      setTimeout(() => res.end(name), serviceMs);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    return { port: (server.address() as AddressInfo).port, seen };
  }

  async function startRouter(random?: () => number) {
    const router = new HttpRouter({ random });
    await router.listen();
    closers.push(() => router.close());
    return router;
  }

  it("sets X-Request-Start to when the router received the request, in ms since the epoch, over a client's own", async () => {
    const router = await startRouter();
    const dyno = await upstream("web.1", 0);
    router.addDyno("web.1#1", dyno.port, 1);
    const before = Date.now();
    const response = await fetch(router.url, { headers: { "x-request-start": "1" } });
    const after = Date.now();
    expect(await response.text()).toBe("web.1");
    const stamped = Number(dyno.seen[0]?.requestStart);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(after);
  });

  it("queues a request at a busy dyno, so the app sees the wait as now − X-Request-Start", async () => {
    const router = await startRouter();
    const dyno = await upstream("web.1", 300);
    router.addDyno("web.1#1", dyno.port, 1);
    await Promise.all([fetch(router.url).then((r) => r.text()), fetch(router.url).then((r) => r.text())]);
    const waits = dyno.seen.map((request) => request.receivedAtMs - Number(request.requestStart)).sort((a, b) => a - b);
    expect(waits[0]).toBeLessThan(150);
    expect(waits[1]).toBeGreaterThanOrEqual(250);
  });

  it("sends a stopping dyno no new request and answers 503 (H14) when no dyno is up", async () => {
    const router = await startRouter();
    const first = await upstream("web.1", 0);
    const second = await upstream("web.2", 0);
    router.addDyno("web.1#1", first.port, 4);
    router.addDyno("web.2#2", second.port, 4);
    router.stopRouting("web.2#2");
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(router.url).then((r) => r.text())));
    expect(new Set(answers)).toEqual(new Set(["web.1"]));
    expect(second.seen).toHaveLength(0);
    router.stopRouting("web.1#1");
    const refused = await fetch(router.url);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("x-sim-router-error")).toBe("H14");
  });
});

import Heroku from "heroku-client";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { useCheckedSim } from "@/tests/helpers/checked-sim";
import { callApi, herokuClientError } from "@/sim/testing/sim-test-kit";

describe("simulated Heroku: per-account rate limit", () => {
  const checked = useCheckedSim({});

  it("answers the 4501st call within the hour with 429 rate_limit, then refills 75 a minute", async () => {
    const { sim, clock } = checked.harness;
    const account = sim.createAccount();
    const token = sim.issueToken(account.id, ["identity"]).accessToken;

    const remaining: number[] = [];
    const batchSize = 25;
    for (let sent = 0; sent < 4500; sent += batchSize) {
      const batch = await Promise.all(
        Array.from({ length: batchSize }, () => callApi(sim.apiUrl, token, "GET", "/account")),
      );
      for (const response of batch) {
        expect(response.status).toBe(200);
        remaining.push(Number(response.headers.get("RateLimit-Remaining")));
      }
    }
    expect(Math.min(...remaining)).toBe(0);
    expect(Math.max(...remaining)).toBe(4499);

    const refused = await callApi(sim.apiUrl, token, "GET", "/account");
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ id: "rate_limit" });
    expect(refused.headers.get("RateLimit-Remaining")).toBe("0");

    // The same bucket through heroku-client; checking the limit itself is free.
    const heroku = new Heroku({ token, host: sim.apiUrl });
    expect(await herokuClientError(heroku.get("/account"))).toMatchObject({ status: 429, id: "rate_limit" });
    expect(z.object({ remaining: z.number() }).parse(await heroku.get("/account/rate-limits"))).toEqual({ remaining: 0 });

    await clock.advanceSeconds(60);
    expect(z.object({ remaining: z.number() }).parse(await heroku.get("/account/rate-limits"))).toEqual({ remaining: 75 });
    const after = await callApi(sim.apiUrl, token, "GET", "/account");
    expect(after.status).toBe(200);
    expect(after.headers.get("RateLimit-Remaining")).toBe("74");
    expect(checked.recorder.checked).toBeGreaterThan(4500);
  });

  it("keeps accounts' buckets apart and answers 429 to everyone during a rate-limit storm", async () => {
    const { sim, clock } = checked.harness;
    const account = sim.createAccount();
    const token = sim.issueToken(account.id, ["identity"]).accessToken;
    const fresh = await callApi(sim.apiUrl, token, "GET", "/account");
    expect(fresh.headers.get("RateLimit-Remaining")).toBe("4499");

    sim.faults.set({ rateLimitStormSeconds: 120 });
    const stormed = await callApi(sim.apiUrl, token, "GET", "/account");
    expect(stormed.status).toBe(429);
    expect(stormed.body).toMatchObject({ id: "rate_limit" });
    await clock.advanceSeconds(121);
    expect((await callApi(sim.apiUrl, token, "GET", "/account")).status).toBe(200);
    sim.faults.clear();
  });
});

import { describe, expect, it } from "vitest";
import { checkFailureKinds, countCheck, failureKindOf, herokuStatusKind, TokenFailure } from "@/lib/checks/failure-kind";
import { TokenUnavailableError } from "@/lib/heroku/tokens";
import { checksTotal, errorsTotal } from "@/lib/metrics";
import { ProbeError, probeErrorKinds } from "@/lib/queues/errors";

async function counted(metric: typeof checksTotal | typeof errorsTotal, label: "outcome" | "kind", value: string): Promise<number> {
  const snapshot = await metric.get();
  return snapshot.values.find((entry) => (entry.labels as Record<string, string | number | undefined>)[label] === value)?.value ?? 0;
}

describe("failureKindOf", () => {
  it("gives every probe error kind a probe failure kind", () => {
    const kinds = Object.fromEntries(probeErrorKinds.map((kind) => [kind, failureKindOf(new ProbeError(kind, "x"))]));
    expect(kinds).toEqual({
      invalid_config: "probe_config",
      unreachable: "probe_unreachable",
      auth_failed: "probe_auth",
      timeout: "probe_timeout",
      wrong_type: "probe_config",
      table_missing: "probe_config",
      unparseable: "probe_bad_answer",
      address_refused: "probe_unreachable",
      bad_response: "probe_bad_answer",
    });
  });

  it("tells Heroku's answers, tokens and Ebbflow's own failures apart", () => {
    const heroku = (statusCode: number) => Object.assign(new Error(`Expected response to be successful, got ${statusCode}`), { statusCode });
    expect(failureKindOf(heroku(422))).toBe("heroku_4xx");
    expect(failureKindOf(heroku(503))).toBe("heroku_5xx");
    expect(failureKindOf(heroku(429))).toBe("rate_limited");
    expect(failureKindOf(heroku(409))).toBe("heroku_release");
    expect(failureKindOf(new TokenFailure(new Error("Sealed with key k1, which is no longer in ENCRYPTION_KEY")))).toBe("token");
    expect(failureKindOf(new TokenUnavailableError("scaling", "No scaling token for this app"))).toBe("token");
    expect(failureKindOf(new Error("Connection is closed."))).toBe("internal");
    expect(failureKindOf("a string")).toBe("internal");
  });

  it("classifies a Platform API status, or its absence, the same way", () => {
    expect([null, 400, 401, 404, 409, 422, 429, 500, 503].map(herokuStatusKind)).toEqual([
      "heroku_unreachable",
      "heroku_4xx",
      "heroku_4xx",
      "heroku_4xx",
      "heroku_release",
      "heroku_4xx",
      "rate_limited",
      "heroku_5xx",
      "heroku_5xx",
    ]);
  });
});

describe("countCheck", () => {
  it("counts each kind once per failed check, under the check's first failure, and ok checks as ok", async () => {
    for (const kind of checkFailureKinds) {
      const [errorsBefore, kindBefore] = [await counted(checksTotal, "outcome", "error"), await counted(errorsTotal, "kind", kind)];
      countCheck([kind, "internal"]);
      expect(await counted(checksTotal, "outcome", "error"), kind).toBe(errorsBefore + 1);
      expect(await counted(errorsTotal, "kind", kind), kind).toBe(kindBefore + 1);
    }
    const okBefore = await counted(checksTotal, "outcome", "ok");
    countCheck([]);
    expect(await counted(checksTotal, "outcome", "ok")).toBe(okBefore + 1);
  });
});

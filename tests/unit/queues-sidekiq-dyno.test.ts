import { describe, expect, it } from "vitest";
import { dynoOfIdentity } from "@/lib/queues/backends/sidekiq";

describe("dynoOfIdentity", () => {
  it("reads the dyno from a Sidekiq process identity on Heroku", () => {
    expect(dynoOfIdentity("worker.3:4:1a2b3c4d5e6f")).toEqual({ processType: "worker", number: 3 });
    expect(dynoOfIdentity("urgent_worker.12:17:abc")).toEqual({ processType: "urgent_worker", number: 12 });
  });

  it("says nothing for hosts that are not dynos", () => {
    expect(dynoOfIdentity("ip-10-0-0-1.ec2.internal:4:abc")).toBeNull();
    expect(dynoOfIdentity("laptop:4:abc")).toBeNull();
  });
});

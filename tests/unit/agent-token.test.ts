import { describe, expect, it } from "vitest";
import { agentTokenFrom } from "@/lib/queues/agent-token";

const token = "ebb_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

describe("agentTokenFrom", () => {
  it("reads a bearer token", () => {
    expect(agentTokenFrom(`Bearer ${token}`)).toBe(token);
  });

  it("reads the password of Basic auth, as clients send EBBFLOW_URL's credentials", () => {
    const url = new URL(`https://agent:${token}@ebbflow.example.com/api/v1/reports`);
    const header = `Basic ${Buffer.from(`${url.username}:${decodeURIComponent(url.password)}`).toString("base64")}`;
    expect(agentTokenFrom(header)).toBe(token);
  });

  it("refuses missing, short and malformed credentials", () => {
    expect(agentTokenFrom(null)).toBeNull();
    expect(agentTokenFrom("Bearer short")).toBeNull();
    expect(agentTokenFrom(`Basic ${Buffer.from("no-colon").toString("base64")}`)).toBeNull();
    expect(agentTokenFrom(`Token ${token}`)).toBeNull();
  });
});

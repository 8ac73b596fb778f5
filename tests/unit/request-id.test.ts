import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeZodError } from "@/lib/http/handle";
import { requestIdFrom } from "@/lib/http/request-id";

describe("requestIdFrom", () => {
  it("keeps a well-formed id from the router", () => {
    expect(requestIdFrom("a3f1c2d4-5678-90ab-cdef-1234567890ab")).toBe("a3f1c2d4-5678-90ab-cdef-1234567890ab");
  });

  it("replaces a missing or hostile id", () => {
    expect(requestIdFrom(null)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom("bad id\nwith newline")).not.toContain("\n");
  });
});

describe("describeZodError", () => {
  it("names the field that was wrong", () => {
    const result = z.object({ queues: z.array(z.object({ depth: z.number() })) }).safeParse({ queues: [{ depth: "x" }] });
    expect(result.success).toBe(false);
    if (!result.success) expect(describeZodError(result.error)).toMatch(/^queues\.0\.depth: /);
  });
});

import { describe, expect, it } from "vitest";
import { ConnectionPool } from "@/lib/queues/connection-pool";
import { discoverQueueNames } from "@/lib/queues/backends/bullmq";
import { kombuQueueKeys } from "@/lib/queues/backends/celery";

function fakePool(maxOpen: number, idleMs = 60_000) {
  const open = new Set<string>();
  const pool = new ConnectionPool<string>(
    "test",
    {
      create: async (key) => (open.add(key), key),
      destroy: async (key) => void open.delete(key),
      isHealthy: () => true,
    },
    { maxOpen, idleMs },
  );
  return { pool, open };
}

describe("probe connection pool", () => {
  it("keeps at most maxOpen connections, evicting the least recently used", async () => {
    const { pool, open } = fakePool(3);
    for (const key of ["a", "b", "c", "a", "d", "e"]) await pool.with(key, async () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(pool.size).toBe(3);
    expect([...open].sort()).toEqual(["a", "d", "e"]);
    await pool.closeAll();
    expect(open.size).toBe(0);
  });

  it("closes idle connections", async () => {
    const { pool, open } = fakePool(10, 100);
    await pool.with("a", async () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(open.size).toBe(0);
    await pool.closeAll();
  });

  it("serializes exclusive users of one connection", async () => {
    const { pool } = fakePool(10);
    const order: string[] = [];
    const slow = pool.with("a", async () => {
      order.push("first start");
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push("first end");
    }, true);
    const fast = pool.with("a", async () => void order.push("second"), true);
    await Promise.all([slow, fast]);
    expect(order).toEqual(["first start", "first end", "second"]);
    await pool.closeAll();
  });
});

describe("key layouts", () => {
  it("finds BullMQ queue names, including names with colons, from their keys", () => {
    expect(discoverQueueNames("bull", ["bull:emails:meta", "bull:emails:42", "bull:a:b:wait", "bull:x:id", "other:y:meta"])).toEqual([
      "a:b",
      "emails",
      "x",
    ]);
  });

  it("spells kombu's priority lists", () => {
    expect(kombuQueueKeys("celery")).toEqual(["celery", "celery\x06\x163", "celery\x06\x166", "celery\x06\x169"]);
  });
});

import type { Redis } from "ioredis";
import { z } from "zod";
import { dynoOfIdentity } from "@/lib/queues/backends/sidekiq";
import { withRedis } from "@/lib/queues/redis-pool";
import type { DynoWorkStatus } from "@/lib/scaling/types";

/**
 * Quieting Sidekiq dynos, with the write URL a customer opted in with. The layout, as
 * Sidekiq 7 and 8 write it (`Sidekiq::Process#quiet!` and the launcher's heartbeat):
 * - `processes` (set) holds identities `<hostname>:<pid>:<nonce>`; on Heroku the hostname is
 *   the dyno name, `worker.3`;
 * - the `<identity>` hash has `quiet` ("true" once the process took a TSTP) and `busy`;
 *   `<identity>:work` holds one entry per running job;
 * - `<identity>-signals` (list): `quiet!` does LPUSH TSTP and EXPIRE 60 in one MULTI; the
 *   heartbeat (about every 10 s) RPOPs one signal and acts on it.
 * With redis-namespace every key is prefixed `<namespace>:`.
 */
export interface SidekiqQuietTarget {
  url: string;
  namespace?: string;
  processType: string;
}

/** Seconds a pushed signal waits for its process; Sidekiq's own `quiet!` uses 60. */
const SIGNAL_TTL_SECONDS = 60;

const quietField = z.enum(["true", "false"]).nullable();
const busyField = z.coerce.number().int().min(0).nullable();

function keyOf(namespace: string | undefined): (name: string) => string {
  return (name) => (namespace ? `${namespace}:${name}` : name);
}

async function identitiesByDyno(client: Redis, target: SidekiqQuietTarget): Promise<Map<number, string[]>> {
  const key = keyOf(target.namespace);
  const byDyno = new Map<number, string[]>();
  for (const identity of await client.smembers(key("processes"))) {
    const dyno = dynoOfIdentity(identity);
    if (!dyno || dyno.processType !== target.processType) continue;
    byDyno.set(dyno.number, [...(byDyno.get(dyno.number) ?? []), identity]);
  }
  return byDyno;
}

/**
 * Each dyno's Sidekiq processes as the store says: quiet only when every process on the dyno
 * says so, busy the larger of the `busy` fields and the `:work` entries (a job that started
 * since the last beat is in neither yet; the planner waits for the quiet flag, which closes
 * that gap). A dyno whose process hash expired is absent.
 */
export async function readSidekiqDynoStatus(target: SidekiqQuietTarget): Promise<Map<number, DynoWorkStatus>> {
  return withRedis(target.url, async ({ resource: client }) => {
    const key = keyOf(target.namespace);
    const byDyno = await identitiesByDyno(client, target);
    const pipeline = client.pipeline();
    const order: Array<[number, string]> = [];
    for (const [dyno, identities] of byDyno) {
      for (const identity of identities) {
        order.push([dyno, identity]);
        pipeline.hmget(key(identity), "quiet", "busy");
        pipeline.hlen(key(`${identity}:work`));
      }
    }
    const replies = (await pipeline.exec()) ?? [];
    const status = new Map<number, DynoWorkStatus>();
    order.forEach(([dyno, _identity], index) => {
      const [hashError, hash] = replies[index * 2] ?? [null, null];
      const [workError, work] = replies[index * 2 + 1] ?? [null, null];
      if (hashError) throw hashError;
      if (workError) throw workError;
      const fields = z.tuple([z.string().nullable(), z.string().nullable()]).parse(hash);
      if (fields[0] === null && fields[1] === null) return; // expired: the process is gone
      const quiet = quietField.catch(null).parse(fields[0]) === "true";
      const busy = Math.max(busyField.catch(null).parse(fields[1]) ?? 0, z.number().int().min(0).parse(work));
      const known = status.get(dyno);
      status.set(dyno, known ? { quiet: known.quiet && quiet, busy: known.busy + busy } : { quiet, busy });
    });
    return status;
  });
}

/** Pushes TSTP (with Sidekiq's expiry) to every process on the named dynos; returns how many. */
export async function quietSidekiqDynos(target: SidekiqQuietTarget, dynos: readonly number[]): Promise<number> {
  if (dynos.length === 0) return 0;
  return withRedis(target.url, async ({ resource: client }) => {
    const key = keyOf(target.namespace);
    const byDyno = await identitiesByDyno(client, target);
    const multi = client.multi();
    let signalled = 0;
    for (const dyno of dynos) {
      for (const identity of byDyno.get(dyno) ?? []) {
        multi.lpush(key(`${identity}-signals`), "TSTP").expire(key(`${identity}-signals`), SIGNAL_TTL_SECONDS);
        signalled += 1;
      }
    }
    if (signalled > 0) await multi.exec();
    else multi.discard();
    return signalled;
  });
}

import { db } from "@/lib/db/client";

export interface WorkerIdentity {
  id: string;
  hostname: string;
  pid: number;
  startedAt: Date;
}

/** Marks a worker process as alive now. Upsert, so a repeated or retried heartbeat is harmless. */
export async function recordHeartbeat(worker: WorkerIdentity, now: Date = new Date()): Promise<void> {
  await db.workerHeartbeat.upsert({
    where: { id: worker.id },
    create: { ...worker, lastSeenAt: now },
    update: { lastSeenAt: now, hostname: worker.hostname, pid: worker.pid },
  });
}

import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { claimDue, type ClaimedCheck } from "@/lib/checks/due-set";
import { errorsTotal } from "@/lib/metrics";
import { log } from "@/lib/log";

/** How often each worker looks for due checks; bounds scheduling lag from below. */
export const DISPATCH_EVERY_MS = 100;
const CLAIM_LIMIT = 2000;
const BATCH_SIZE = 40;

/**
 * Hands due checks to BullMQ. Every worker process runs one; the claim is atomic, so each due
 * check is handed out once, and BullMQ gives each batch to exactly one worker, whichever is
 * free. A worker that dies holding a batch loses that batch's checks for one interval only:
 * the claim already booked each tenant's next slot, for any worker to take.
 */
export class CheckDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    private readonly checks: Queue,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Claims and enqueues once; returns how many checks it handed out. */
  async dispatchOnce(): Promise<number> {
    const claimed = await claimDue(this.redis, this.now(), CLAIM_LIMIT);
    if (claimed.length === 0) return 0;
    const batches: ClaimedCheck[][] = [];
    for (let i = 0; i < claimed.length; i += BATCH_SIZE) batches.push(claimed.slice(i, i + BATCH_SIZE));
    await this.checks.addBulk(
      batches.map((checks) => ({ name: "check-batch", data: { checks }, opts: { removeOnComplete: true, removeOnFail: 1000 } })),
    );
    return claimed.length;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    this.running = true;
    let handedOut = 0;
    try {
      handedOut = await this.dispatchOnce();
    } catch (error) {
      errorsTotal.inc({ kind: "dispatch" });
      log.error({ err: error }, "could not dispatch checks");
    } finally {
      this.running = false;
    }
    // A full claim means more are due: go again at once.
    this.schedule(handedOut >= CLAIM_LIMIT ? 0 : DISPATCH_EVERY_MS);
  }
}

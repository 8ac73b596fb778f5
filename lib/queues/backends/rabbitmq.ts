import type { Channel, ChannelModel } from "amqplib";
import { connectionTarget } from "@/lib/queues/amqp-pool";
import { log } from "@/lib/log";
import { ProbeError, errorMessage } from "@/lib/queues/errors";
import {
  fetchManagedQueue,
  fetchManagedQueues,
  managementTarget,
  type ManagedQueue,
  type ManagementTarget,
} from "@/lib/queues/rabbitmq-management";
import { MAX_QUEUES, type QueueProbe } from "@/lib/queues/schema";
import { ageMs, type BackendReading } from "@/lib/queues/summarize";

/**
 * RabbitMQ (AMQP 0-9-1): Celery's default broker, and any AMQP worker.
 *
 * - depth: a passive `queue.declare` (amqplib's `checkQueue`) answers the ready message count
 *   and the consumer count. Each queue gets a channel of its own, because the broker closes
 *   the channel when the queue does not exist. Nothing is consumed, got or requeued: a
 *   passive declare does not touch the messages, so their order stays as it was.
 * - busy: only the management API knows messages delivered to a consumer and not yet
 *   acknowledged (`messages_unacknowledged`). For Celery those are tasks prefetched into a
 *   worker's buffer, ETA/countdown tasks a worker holds until their time and, with
 *   `task_acks_late` only, tasks running (Celery acknowledges a task as it starts it by
 *   default); the broker cannot tell them apart. They are reported as busy, so a worker
 *   that holds them is not scaled away (which would hand them back to the queue and make
 *   the formation flap). The management API refreshes these counters every few seconds.
 * - latency: the management API's `head_message_timestamp`, the `timestamp` property of the
 *   oldest ready message, when the publisher set one. Celery does not set it: latency null.
 * - scheduled: ETA tasks not yet taken by a worker sit in the queue as ready messages
 *   (counted in depth); retries are republished as new messages. Both null.
 */
export interface RabbitOptions {
  url: string;
  queues?: string[];
  managementUrl?: string;
  /** Celery: default to its "celery" queue and leave its control queues out of discovery. */
  celery: boolean;
}

interface Declared {
  name: string;
  messageCount: number | null;
  consumerCount: number | null;
}

export async function probeRabbitMq(model: ChannelModel, options: RabbitOptions, nowMs: number): Promise<BackendReading> {
  const broker = connectionTarget(options.url);
  const management = options.managementUrl ? managementTarget(options.managementUrl, broker) : null;
  const warnings: string[] = [];
  let roundTrips = 0;
  let names = options.queues;
  let listed: ManagedQueue[] | null = null;
  if (!names) {
    if (management) {
      const page = await fetchManagedQueues(management, broker.vhost);
      roundTrips += 1;
      listed = page.queues.filter((queue) => isWorkQueue(queue, options.celery));
      names = listed.map((queue) => queue.name);
      if (page.total > page.queues.length) warnings.push(`The vhost has ${page.total} queues; only the first ${MAX_QUEUES} by name were read. List the queue names to probe.`);
    } else if (options.celery) {
      names = ["celery"];
      warnings.push('No queue names given: read Celery\'s default queue "celery" only. List the queues your workers consume.');
    } else {
      throw new ProbeError("invalid_config", "List the queue names to read: without the management API URL the broker cannot list its queues.");
    }
  }
  const [declared, managed] = await Promise.all([
    declareAll(model, names),
    management ? readManagedOrWarn(management, broker.vhost, names, listed, warnings) : Promise.resolve(null),
  ]);
  roundTrips += 3 + (management && !listed ? 1 : 0);
  const queues = declared.map((queue, index): QueueProbe => {
    const stats = managed?.[index] ?? null;
    if (queue.messageCount === null) {
      warnings.push(`The queue ${queue.name} does not exist on the broker (yet): counted as empty.`);
      return { name: queue.name, depth: 0, latencyMs: null, busy: managed ? 0 : null, scheduled: null, retries: null };
    }
    const headTimestamp = stats?.head_message_timestamp;
    return {
      name: queue.name,
      depth: queue.messageCount,
      latencyMs: queue.messageCount > 0 && typeof headTimestamp === "number" ? ageMs(nowMs, headTimestamp * 1000) : null,
      busy: stats?.messages_unacknowledged ?? null,
      scheduled: null,
      retries: null,
    };
  });
  if (!management) warnings.push("Without the management API URL, prefetched, ETA and running tasks (unacknowledged messages) are not counted.");
  return { queues, scheduled: null, retries: null, due: null, roundTrips, warnings };
}

/** Queues a worker consumes: not exclusive (reply queues), not auto-deleted (Celery's pidbox and event queues). */
function isWorkQueue(queue: ManagedQueue, celery: boolean): boolean {
  if (queue.exclusive || queue.auto_delete || queue.name.startsWith("amq.")) return false;
  if (celery && (queue.name.endsWith(".pidbox") || queue.name.startsWith("celeryev."))) return false;
  return true;
}

/**
 * The management API only adds to what the broker answered: when it fails, the ready counts
 * still stand, busy becomes unknown and a warning says why (the check does not lose its depth
 * because a monitoring endpoint is slow or its password was rotated).
 */
async function readManagedOrWarn(
  target: ManagementTarget,
  vhost: string,
  names: string[],
  listed: ManagedQueue[] | null,
  warnings: string[],
): Promise<(ManagedQueue | null)[] | null> {
  try {
    return await readManaged(target, vhost, names, listed);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    warnings.push(`The management API could not be read (${error.message}); unacknowledged messages are not counted.`);
    return null;
  }
}

async function readManaged(
  target: ManagementTarget,
  vhost: string,
  names: string[],
  listed: ManagedQueue[] | null,
): Promise<(ManagedQueue | null)[]> {
  if (listed) return names.map((name) => listed.find((queue) => queue.name === name) ?? null);
  return Promise.all(names.map((name) => fetchManagedQueue(target, vhost, name)));
}

/** One passive declare per queue, each on its own channel, all at once. */
async function declareAll(model: ChannelModel, names: string[]): Promise<Declared[]> {
  return Promise.all(names.map((name) => declareOne(model, name)));
}

async function declareOne(model: ChannelModel, name: string): Promise<Declared> {
  let channel: Channel;
  try {
    channel = await model.createChannel();
  } catch (error) {
    throw new ProbeError("unreachable", `RabbitMQ would not open a channel: ${errorMessage(error)}`, { cause: error });
  }
  let closedByBroker = false;
  // The broker closes the channel when the queue is missing; amqplib emits that as "error".
  channel.on("error", () => {
    closedByBroker = true;
  });
  channel.on("close", () => {
    closedByBroker = true;
  });
  try {
    const reply = await channel.checkQueue(name);
    return { name, messageCount: reply.messageCount, consumerCount: reply.consumerCount };
  } catch (error) {
    const message = errorMessage(error);
    if (/NOT_FOUND|404/.test(message)) return { name, messageCount: null, consumerCount: null };
    if (/ACCESS_REFUSED|403/.test(message)) {
      throw new ProbeError("auth_failed", `This RabbitMQ user may not declare the queue ${name}, even passively (${message}). Check the user's permissions on this vhost.`, {
        target: name,
        cause: error,
      });
    }
    throw new ProbeError("unreachable", `RabbitMQ did not answer for the queue ${name}: ${message}`, { target: name, cause: error });
  } finally {
    if (!closedByBroker) {
      await channel.close().catch((error: unknown) => log.debug({ err: error, queue: name }, "closing a probe channel failed"));
    }
  }
}

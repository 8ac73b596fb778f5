import { billingSuspendOverdueJob } from "@/worker/jobs/billing-suspend-overdue";
import { checkBatchJob } from "@/worker/jobs/check-batch";
import { checkMembersJob } from "@/worker/jobs/check-members";
import { checkNowJob } from "@/worker/jobs/check-now";
import { exchangeGrantJob } from "@/worker/jobs/exchange-grant";
import { heartbeatJob } from "@/worker/jobs/heartbeat";
import { keepWebhooksJob } from "@/worker/jobs/keep-webhooks";
import { notifyJob } from "@/worker/jobs/notify";
import { purgeTenantsJob } from "@/worker/jobs/purge-tenants";
import { refreshTokensJob } from "@/worker/jobs/refresh-tokens";
import { rollUpSamplesJob } from "@/worker/jobs/roll-up-samples";
import { subscribeWebhooksJob } from "@/worker/jobs/subscribe-webhooks";
import type { JobDefinition } from "@/worker/job";

/** Every job the worker runs, by name. Adding a job means adding it here. */
export const jobs: JobRegistry = {
  [heartbeatJob.name]: heartbeatJob,
  [notifyJob.name]: notifyJob,
  [rollUpSamplesJob.name]: rollUpSamplesJob,
  [exchangeGrantJob.name]: exchangeGrantJob,
  [refreshTokensJob.name]: refreshTokensJob,
  [purgeTenantsJob.name]: purgeTenantsJob,
  [billingSuspendOverdueJob.name]: billingSuspendOverdueJob,
  [checkMembersJob.name]: checkMembersJob,
  [subscribeWebhooksJob.name]: subscribeWebhooksJob,
  [keepWebhooksJob.name]: keepWebhooksJob,
};

/** Jobs of the checks queue, run by their own BullMQ worker. */
export const checkJobs: JobRegistry = {
  [checkBatchJob.name]: checkBatchJob,
  [checkNowJob.name]: checkNowJob,
};

export type JobRegistry = Record<string, JobDefinition>;

/** Jobs that run on a timer, once per interval across all worker processes. */
export const repeatingJobs: Array<{ name: keyof typeof jobs & string; everyMs: number }> = [
  { name: heartbeatJob.name, everyMs: 15_000 },
  { name: refreshTokensJob.name, everyMs: 5 * 60_000 },
  { name: purgeTenantsJob.name, everyMs: 60 * 60_000 },
  { name: rollUpSamplesJob.name, everyMs: 60_000 },
  { name: billingSuspendOverdueJob.name, everyMs: 10 * 60_000 },
  { name: checkMembersJob.name, everyMs: 5 * 60_000 },
  { name: keepWebhooksJob.name, everyMs: 10 * 60_000 },
];

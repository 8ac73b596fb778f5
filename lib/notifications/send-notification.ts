import { planOrHobby } from "@/lib/billing/plans";
import { unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import type { NotificationStatus } from "@/lib/db/generated/enums";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { postWebhook } from "@/lib/notifications/post-webhook";
import { z } from "zod";

/** Something a customer asked to hear about. */
export interface NotificationEvent {
  tenantId: string;
  kind: "failure" | "max";
  processType: string | null;
  /** One sentence, e.g. the decision's reason and Heroku's error. */
  message: string;
  occurredAt: Date;
}

/** The same kind of news for the same process type is sent at most once in this long. */
export const NOTIFY_AGAIN_AFTER_MS = 15 * 60_000;

export interface SendOptions {
  now?: Date;
  /** Development and tests only; defaults to EBBFLOW_ALLOW_PRIVATE_TARGETS (see lib/net). */
  allowPrivateAddresses?: boolean;
  /** Skip the repeat throttle (the settings page's "send a test"). */
  force?: boolean;
}

export interface DeliveryResult {
  channel: "email" | "webhook";
  status: NotificationStatus;
  detail: string | null;
}

const emailsSchema = z.array(z.string());

function headline(appName: string, event: NotificationEvent): string {
  const where = event.processType ? `${appName} (${event.processType})` : appName;
  return event.kind === "failure" ? `Ebbflow could not scale ${where}: ${event.message}` : `${where} is at its maximum: ${event.message}`;
}

/**
 * Tells a tenant's people about a failure or about hitting max, as its settings say: a webhook
 * POST with a JSON body (Slack's incoming webhooks read `text`), and email. Ebbflow has no mail
 * transport yet, so emails are recorded as "would send" with their recipients. Every attempt is
 * recorded in notification_deliveries, which also throttles repeats. Plans without
 * notifications, kinds turned off and repeats within NOTIFY_AGAIN_AFTER_MS send nothing.
 *
 * Safe to call from the engine after a check; it never throws for a delivery that failed.
 */
export async function sendNotification(event: NotificationEvent, options: SendOptions = {}): Promise<DeliveryResult[]> {
  const now = options.now ?? new Date();
  const tenant = await db.tenant.findUnique({
    where: { id: event.tenantId },
    select: { appName: true, plan: true, notificationSetting: { select: { emails: true, webhookUrlSealed: true, onFailure: true, onMax: true } } },
  });
  const settings = tenant?.notificationSetting;
  if (!tenant || !settings || !planOrHobby(tenant.plan).features.notifications) return [];
  if ((event.kind === "failure" && !settings.onFailure) || (event.kind === "max" && !settings.onMax)) return [];
  if (!options.force) {
    const recent = await db.notificationDelivery.findFirst({
      where: { tenantId: event.tenantId, kind: event.kind, processType: event.processType, occurredAt: { gt: new Date(now.getTime() - NOTIFY_AGAIN_AFTER_MS) } },
      select: { id: true },
    });
    if (recent) return [];
  }

  const text = headline(tenant.appName, event);
  const results: DeliveryResult[] = [];
  const emails = emailsSchema.safeParse(settings.emails);
  if (emails.success && emails.data.length > 0) {
    results.push({ channel: "email", status: "would_send", detail: `no mail transport configured; to ${emails.data.join(", ")}` });
  }
  if (settings.webhookUrlSealed) {
    const dashboardUrl = new URL(`/apps/${event.tenantId}`, env().APP_URL).toString();
    const body = {
      text,
      ebbflow: { app: tenant.appName, kind: event.kind, processType: event.processType, message: event.message, occurredAt: event.occurredAt.toISOString(), dashboardUrl },
    };
    const problem = await postWebhook(unseal(settings.webhookUrlSealed), body, { allowPrivateAddresses: options.allowPrivateAddresses });
    results.push({ channel: "webhook", status: problem ? "failed" : "sent", detail: problem });
    if (problem) log.warn({ tenantId: event.tenantId, problem }, "notification webhook failed");
  }
  if (results.length > 0) {
    await db.notificationDelivery.createMany({
      data: results.map((r) => ({ tenantId: event.tenantId, channel: r.channel, kind: event.kind, processType: event.processType, status: r.status, message: text, detail: r.detail, occurredAt: now })),
    });
  }
  return results;
}

import { z } from "zod";
import { seal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { invalidField } from "@/lib/http/validation-error";

/** Where a webhook may point: https, or http only outside production (local tests and the demo). */
function webhookUrlAllowed(value: string): boolean {
  const protocol = new URL(value).protocol;
  return protocol === "https:" || (protocol === "http:" && env().NODE_ENV !== "production");
}

/**
 * What the settings form sends. The webhook URL is a secret (a Slack webhook's path is its
 * credential): blank keeps the stored one, `removeWebhook` forgets it, and it is never sent back.
 */
export const notificationSettingsRequestSchema = z.object({
  emails: z.array(z.email("must be an email address")).max(5, "at most 5 addresses").default([]),
  webhookUrl: z
    .string()
    .trim()
    .max(2048)
    .transform((value) => (value === "" ? undefined : value))
    .pipe(z.url("must be a URL such as https://hooks.slack.com/services/…").optional())
    .optional(),
  removeWebhook: z.boolean().default(false),
  onFailure: z.boolean(),
  onMax: z.boolean(),
});

export type NotificationSettingsRequest = z.output<typeof notificationSettingsRequestSchema>;

/** What the dashboard shows: never the webhook URL, only its host. */
export interface NotificationSettingsView {
  emails: string[];
  webhookHost: string | null;
  onFailure: boolean;
  onMax: boolean;
}

const storedEmails = z.array(z.string());

export async function getNotificationSettings(tenantId: string): Promise<NotificationSettingsView> {
  const row = await db.notificationSetting.findUnique({
    where: { tenantId },
    select: { emails: true, webhookHost: true, onFailure: true, onMax: true },
  });
  if (!row) return { emails: [], webhookHost: null, onFailure: true, onMax: true };
  const emails = storedEmails.safeParse(row.emails);
  return { emails: emails.success ? emails.data : [], webhookHost: row.webhookHost, onFailure: row.onFailure, onMax: row.onMax };
}

/** Saves a tenant's notification settings; the webhook URL is sealed at rest. */
export async function saveNotificationSettings(tenantId: string, request: NotificationSettingsRequest): Promise<NotificationSettingsView> {
  if (request.webhookUrl && !webhookUrlAllowed(request.webhookUrl)) {
    throw invalidField("webhookUrl", "must be an https:// URL");
  }
  const webhook = request.removeWebhook
    ? { webhookUrlSealed: null, webhookHost: null }
    : request.webhookUrl
      ? { webhookUrlSealed: seal(request.webhookUrl).value, webhookHost: new URL(request.webhookUrl).host }
      : {};
  const fields = { emails: request.emails, onFailure: request.onFailure, onMax: request.onMax, ...webhook };
  await db.notificationSetting.upsert({ where: { tenantId }, create: { tenantId, ...fields }, update: fields });
  return getNotificationSettings(tenantId);
}

export interface DeliveryLine {
  id: string;
  channel: "email" | "webhook";
  kind: string;
  processType: string | null;
  status: "sent" | "failed" | "would_send";
  message: string;
  detail: string | null;
  occurredAt: string;
}

/** The latest notifications sent (or recorded) for an app, newest first. */
export async function listRecentDeliveries(tenantId: string, take = 10): Promise<DeliveryLine[]> {
  const rows = await db.notificationDelivery.findMany({
    where: { tenantId },
    select: { id: true, channel: true, kind: true, processType: true, status: true, message: true, detail: true, occurredAt: true },
    orderBy: { id: "desc" },
    take,
  });
  return rows.map((row) => ({ ...row, id: row.id.toString(), occurredAt: row.occurredAt.toISOString() }));
}

import { z } from "zod";
import { unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { amqpSchemes, backends, isRabbitBackend, queueSourceSchema, urlScheme, type QueueSource } from "@/lib/queues/schema";
import { processRuleSchema } from "@/lib/scaling/rules";
import { invalidField, validationError } from "@/lib/http/validation-error";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === "" ? undefined : value))
    .optional();

/**
 * What the sources form sends. The URL (which usually carries a password) may be left blank to
 * keep the stored one: the dashboard never sends a stored URL back to the browser.
 */
export const sourceRequestSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("push"), processType: processRuleSchema.shape.processType }),
  z.object({
    mode: z.literal("probe"),
    processType: processRuleSchema.shape.processType,
    backend: z.enum(backends),
    url: optionalText(4096),
    queues: z.array(z.string().trim().min(1).max(256)).max(200).default([]),
    namespace: optionalText(256),
    prefix: optionalText(256),
    httpFormat: z.enum(["hirefire", "ebbflow"]).optional(),
    hirefireMetric: z.enum(["depth", "latency"]).optional(),
    /** HireFire-Token for a pull; blank keeps the stored one. */
    httpToken: optionalText(512),
    /** RabbitMQ's management API URL (it may carry credentials); blank keeps the stored one. */
    managementUrl: optionalText(4096),
    /**
     * Opt-in (Sidekiq): let Ebbflow quiet dynos before removing them, with a URL of the same
     * Redis that may write. Unticked clears the stored one; a blank URL keeps it.
     */
    quiet: z.boolean().default(false),
    quietUrl: optionalText(4096),
  }),
]);

export type SourceRequest = z.output<typeof sourceRequestSchema>;
export type ProbeSourceRequest = Extract<SourceRequest, { mode: "probe" }>;

/** The stored source of a process type, opened; null when there is none or it is push. */
export async function storedSource(tenantId: string, processType: string): Promise<QueueSource | null> {
  const row = await db.queueSource.findUnique({
    where: { tenantId_processType: { tenantId, processType } },
    select: { configSealed: true },
  });
  if (!row?.configSealed) return null;
  const parsed = queueSourceSchema.safeParse(JSON.parse(unseal(row.configSealed)));
  return parsed.success ? parsed.data : null;
}

/**
 * The queue source a probe form describes, with the stored URL (and pull token) filled in where
 * the form left them blank. Validated with lib/queues' own schema; an invalid one is a 422 that
 * names the field. Never lets a customer reach private addresses through a pull.
 */
export async function resolveProbeSource(tenantId: string, request: ProbeSourceRequest): Promise<QueueSource> {
  const rabbit = isRabbitBackend(request.backend);
  const needsStored = !request.url || (request.backend === "http" && !request.httpToken) || (rabbit && !request.managementUrl);
  const stored = needsStored ? await storedSource(tenantId, request.processType) : null;
  const url = request.url ?? stored?.url;
  if (!url) throw invalidField("url", "enter the connection URL of the queue store");
  // The management API only applies to a RabbitMQ URL; a stored one is kept while it still does.
  const managementUrl =
    rabbit && amqpSchemes.includes(urlScheme(url) ?? "") ? (request.managementUrl ?? stored?.managementUrl) : request.managementUrl;
  const http =
    request.backend === "http"
      ? {
          format: request.httpFormat ?? "hirefire",
          hirefireMetric: request.hirefireMetric ?? "depth",
          processType: request.processType,
          token: request.httpToken ?? (stored?.backend === "http" && sameOrigin(stored.url, url) ? stored.http?.token : undefined),
        }
      : undefined;
  const parsed = queueSourceSchema.safeParse({
    backend: request.backend,
    url,
    queues: request.queues.length > 0 ? request.queues : undefined,
    namespace: request.backend === "sidekiq" ? request.namespace : undefined,
    prefix: request.backend === "sidekiq" ? undefined : request.prefix,
    http,
    managementUrl,
  });
  if (!parsed.success) {
    throw validationError(parsed.error);
  }
  return parsed.data;
}

/**
 * Whether two URLs name the same scheme, host and port. The stored HireFire token is only
 * ever sent to the host it was saved for: a form that changes the URL but leaves the token
 * blank must not send the saved token to the new host.
 */
function sameOrigin(a: string, b: string): boolean {
  return URL.canParse(a) && URL.canParse(b) && new URL(a).origin === new URL(b).origin && new URL(a).origin !== "null";
}

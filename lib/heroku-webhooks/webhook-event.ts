import { z } from "zod";

/**
 * The parts of a Heroku webhook notification Ebbflow reads. Heroku may add fields at any time,
 * so objects are loose; what is read is checked.
 */
export const webhookEventSchema = z.looseObject({
  id: z.uuid(),
  created_at: z.iso.datetime({ offset: true }),
  action: z.enum(["create", "update", "destroy"]),
  actor: z.looseObject({ id: z.string().max(100).optional(), email: z.string().max(320).optional() }).nullish(),
  resource: z.string().max(100),
  data: z.record(z.string(), z.unknown()),
  previous_data: z.record(z.string(), z.unknown()).nullish(),
  webhook_metadata: z.looseObject({
    delivery: z.looseObject({ id: z.uuid() }),
    event: z.looseObject({ id: z.uuid(), include: z.string().max(100) }),
    webhook: z.looseObject({ id: z.uuid() }),
  }),
});

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

const app = z.looseObject({ id: z.uuid() });
const processType = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "not a process type name");

/** `api:formation`'s `data`: the formation as `GET /apps/{app}/formation/{type}` shows it. */
export const formationDataSchema = z.looseObject({
  app,
  type: processType,
  quantity: z.number().int().min(0).max(10_000),
});

/** `previous_data` of a formation update: the fields that changed, as they were. */
export const formationPreviousSchema = z.looseObject({ quantity: z.number().int().min(0).max(10_000).optional() });

/** `api:dyno`'s `data`: the dyno as `GET /apps/{app}/dynos/{dyno}` shows it. */
export const dynoDataSchema = z.looseObject({
  app,
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}\.\d{1,6}$/, "not a dyno name"),
  state: z.string().max(40),
});

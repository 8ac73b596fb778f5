import { z } from "zod";

/**
 * A provision request as Heroku's Add-on Partner API v3 sends it. Heroku may add fields at
 * any time, and such requests must be accepted, so unknown keys pass through.
 */
export const provisionRequestSchema = z.looseObject({
  uuid: z.uuid({ message: "must be the add-on resource's UUID" }),
  plan: z.string().min(1, "is required"),
  region: z.string().optional(),
  callback_url: z.url().optional(),
  name: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  oauth_grant: z
    .looseObject({
      code: z.string().min(1),
      expires_at: z.string().optional(),
      type: z.string().optional(),
    })
    .optional(),
});
export type ProvisionRequest = z.infer<typeof provisionRequestSchema>;

export const planChangeRequestSchema = z.looseObject({
  plan: z.string().min(1, "is required"),
});

import { z } from "zod";
import { herokuErrors } from "../heroku-error";
import { json } from "../http/types";
import type { SimAddon } from "../world/addons";
import { type ApiContext, type ApiRoute, param, requireAddon, requireApp } from "./api-access";
import { attachmentNotFound, visibleAddons } from "./addon-lookup";
import { dropNulls } from "./app-addon-routes";
import { presentAttachment } from "./presenters";

/** Each add-on has one attachment, to the app it was created on (no `addons:attach` yet). */

const resolveSchema = z.object({
  addon_attachment: z.string().min(1),
  app: z.string().optional(),
  addon_service: z.string().optional(),
});

function present(context: ApiContext, addon: SimAddon) {
  return presentAttachment(addon, context.world.apps.get(addon.appId), context.world.baseUrl);
}

/** GET /addon-attachments */
export const listAttachments: ApiRoute = {
  scope: "read",
  handle: (context) => json(200, visibleAddons(context).map((addon) => present(context, addon))),
};

/** GET /apps/{app}/addon-attachments */
export const listAppAttachments: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const app = requireApp(context, param(context, "app"));
    return json(200, visibleAddons(context, app).map((addon) => present(context, addon)));
  },
};

/** GET /addons/{addon}/addon-attachments */
export const listAddonAttachments: ApiRoute = {
  scope: "read",
  handle: (context) => {
    const addon = requireAddon(context, param(context, "addon"), "reader");
    return json(200, addon.state === "deprovisioned" ? [] : [present(context, addon)]);
  },
};

/**
 * POST /actions/addon-attachments/resolve: by attachment name or id, on the given app or as
 * `app::NAME`; 404 with `resource: "add_on attachment"` when none.
 */
export const resolveAttachment: ApiRoute = {
  scope: "read",
  normalizeBody: dropNulls,
  handle: (context) => {
    const parsed = resolveSchema.safeParse(context.body ?? {});
    if (!parsed.success) throw herokuErrors.invalidParams(`Invalid params: ${z.prettifyError(parsed.error)}`);
    const scoped = /^(.+)::(.+)$/.exec(parsed.data.addon_attachment);
    const appName = scoped?.[1] ?? parsed.data.app;
    const name = scoped?.[2] ?? parsed.data.addon_attachment;
    const candidates = appName ? visibleAddons(context, requireApp(context, appName)) : visibleAddons(context);
    const matches = candidates.filter(
      (addon) =>
        (addon.attachment.name === name || addon.attachment.id === name) &&
        (!parsed.data.addon_service || context.world.addons.service(addon).name === parsed.data.addon_service),
    );
    if (matches.length === 0) throw attachmentNotFound();
    return json(200, matches.map((addon) => present(context, addon)));
  },
};

import { RouteTable } from "../http/route-table";
import { getAccount, getApp, getRateLimits } from "./account-routes";
import { createAppAddon, deleteAppAddon, getAppAddon, listAddons, listAppAddons, resolveAddon, updateAppAddon } from "./app-addon-routes";
import { getConfigVars, listAccountApps, listApps, getPipelineCoupling, listReleases } from "./app-routes";
import { listAddonAttachments, listAppAttachments, listAttachments, resolveAttachment } from "./attachment-routes";
import { deprovisionAddon, getAddon, listAddonConfig, provisionAddon, updateAddonConfig } from "./addon-routes";
import type { ApiRoute } from "./api-access";
import { createCollaborator, deleteCollaborator, getCollaborator, listCollaborators } from "./collaborator-routes";
import { createDyno, getDyno, listDynos, restartAllDynos, restartDyno } from "./dyno-routes";
import { batchUpdateFormation, getFormation, listFormation, updateOneFormation } from "./formation-routes";
import {
  createAddonWebhook,
  deleteAddonWebhook,
  getAddonWebhook,
  getAddonWebhookDelivery,
  getAddonWebhookEvent,
  listAddonWebhookDeliveries,
  listAddonWebhookEvents,
  listAddonWebhooks,
  updateAddonWebhook,
} from "./webhook-routes";

/** The part of Heroku's Platform API the simulator serves. */
export function platformApiRoutes(): RouteTable<ApiRoute> {
  return new RouteTable<ApiRoute>()
    .add("GET", "/account", getAccount)
    .add("GET", "/account/rate-limits", getRateLimits)
    .add("GET", "/apps/:app", getApp)
    .add("GET", "/apps/:app/formation", listFormation)
    .add("PATCH", "/apps/:app/formation", batchUpdateFormation)
    .add("GET", "/apps/:app/formation/:type", getFormation)
    .add("PATCH", "/apps/:app/formation/:type", updateOneFormation)
    .add("GET", "/apps/:app/dynos", listDynos)
    .add("GET", "/apps/:app/collaborators", listCollaborators)
    .add("POST", "/apps/:app/collaborators", createCollaborator)
    .add("GET", "/apps/:app/collaborators/:collaborator", getCollaborator)
    .add("DELETE", "/apps/:app/collaborators/:collaborator", deleteCollaborator)
    .add("POST", "/apps/:app/dynos", createDyno)
    .add("DELETE", "/apps/:app/dynos", restartAllDynos)
    .add("GET", "/apps/:app/dynos/:dyno", getDyno)
    .add("DELETE", "/apps/:app/dynos/:dyno", restartDyno)
    .add("POST", "/apps/:app/dynos/:dyno/actions/stop", restartDyno)
    .add("GET", "/addons/:addon", getAddon)
    .add("GET", "/addons/:addon/config", listAddonConfig)
    .add("PATCH", "/addons/:addon/config", updateAddonConfig)
    .add("POST", "/addons/:addon/actions/provision", provisionAddon)
    .add("POST", "/addons/:addon/actions/deprovision", deprovisionAddon)
    // Add-on webhooks: the partner subscribes to its add-on's app events.
    .add("POST", "/addons/:addon/webhooks", createAddonWebhook)
    .add("GET", "/addons/:addon/webhooks", listAddonWebhooks)
    .add("GET", "/addons/:addon/webhooks/:webhook", getAddonWebhook)
    .add("PATCH", "/addons/:addon/webhooks/:webhook", updateAddonWebhook)
    .add("DELETE", "/addons/:addon/webhooks/:webhook", deleteAddonWebhook)
    .add("GET", "/addons/:addon/webhook-deliveries", listAddonWebhookDeliveries)
    .add("GET", "/addons/:addon/webhook-deliveries/:delivery", getAddonWebhookDelivery)
    .add("GET", "/addons/:addon/webhook-events", listAddonWebhookEvents)
    .add("GET", "/addons/:addon/webhook-events/:event", getAddonWebhookEvent)
    // What the Heroku CLI's app, add-on, config and release commands call.
    .add("GET", "/apps", listApps)
    .add("GET", "/users/~/apps", listAccountApps)
    .add("GET", "/apps/:app/config-vars", getConfigVars)
    .add("GET", "/apps/:app/releases", listReleases)
    .add("GET", "/apps/:app/pipeline-couplings", getPipelineCoupling)
    .add("GET", "/addons", listAddons)
    .add("GET", "/apps/:app/addons", listAppAddons)
    .add("POST", "/apps/:app/addons", createAppAddon)
    .add("GET", "/apps/:app/addons/:addon", getAppAddon)
    .add("PATCH", "/apps/:app/addons/:addon", updateAppAddon)
    .add("DELETE", "/apps/:app/addons/:addon", deleteAppAddon)
    .add("POST", "/actions/addons/resolve", resolveAddon)
    .add("GET", "/addon-attachments", listAttachments)
    .add("GET", "/apps/:app/addon-attachments", listAppAttachments)
    .add("GET", "/addons/:addon/addon-attachments", listAddonAttachments)
    .add("POST", "/actions/addon-attachments/resolve", resolveAttachment);
}

import { newId } from "../ids";
import type { SimApp } from "./apps";

/** One release of an app: Heroku makes one for every config change, add-on attach and detach. */
export interface SimRelease {
  id: string;
  version: number;
  description: string;
  /** Who the release is credited to: the account that acted, or an add-on's own user. */
  user: { id: string; email: string };
  /** Plans of the add-ons attached when the release was made, as `service:plan`. */
  addonPlanNames: string[];
  createdAtMs: number;
}

/** Each app's releases, oldest first; the newest is the app's current release. */
export class ReleaseStore {
  private readonly byApp = new Map<string, SimRelease[]>();

  list(appId: string): SimRelease[] {
    return [...(this.byApp.get(appId) ?? [])];
  }

  /** Records the next release of `app` and makes it current (dynos report the current one). */
  record(app: SimApp, input: { description: string; user: { id: string; email: string }; addonPlanNames: string[] }, nowMs: number): SimRelease {
    const releases = this.byApp.get(app.id) ?? [];
    const version = (releases.at(-1)?.version ?? 0) + 1;
    const release: SimRelease = { id: newId(), version, createdAtMs: nowMs, ...input };
    releases.push(release);
    this.byApp.set(app.id, releases);
    app.release = { id: release.id, version, createdAtMs: nowMs };
    app.updatedAtMs = nowMs;
    return release;
  }
}

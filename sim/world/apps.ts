import type { AppRuntime } from "../runtime/app-runtime";

/** An account the owner gave access to the app (`heroku access:add`). */
export interface SimCollaborator {
  id: string;
  accountId: string;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface SimApp {
  id: string;
  name: string;
  ownerId: string;
  /** Collaborators by account id (the owner is not one of them). */
  collaborators: Map<string, SimCollaborator>;
  region: "us" | "eu";
  createdAtMs: number;
  updatedAtMs: number;
  release: { id: string; version: number; createdAtMs: number };
  /** Host part of `web_url`: Heroku adds a random suffix to the app name. */
  webHost: string;
  /** Config vars set at creation; `SimWorld.configVars` adds the add-ons'. */
  config: Record<string, string>;
  runtime: AppRuntime;
}

/** Whether the account may use the app: its owner or one of its collaborators. */
export function hasAppAccess(app: SimApp, accountId: string): boolean {
  return app.ownerId === accountId || app.collaborators.has(accountId);
}

/** Apps by id and by name (Heroku's app identity accepts either). */
export class AppStore {
  private readonly apps = new Map<string, SimApp>();

  add(app: SimApp): SimApp {
    if (this.find(app.name)) throw new Error(`an app named ${app.name} already exists`);
    this.apps.set(app.id, app);
    return app;
  }

  find(idOrName: string): SimApp | undefined {
    return this.apps.get(idOrName) ?? [...this.apps.values()].find((app) => app.name === idOrName);
  }

  get(idOrName: string): SimApp {
    const app = this.find(idOrName);
    if (!app) throw new Error(`no app ${idOrName}`);
    return app;
  }

  list(): SimApp[] {
    return [...this.apps.values()];
  }
}

import { newId } from "../ids";

export interface SimAccount {
  id: string;
  email: string;
  name: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/** Heroku user accounts known to the simulator. */
export class AccountStore {
  private readonly accounts = new Map<string, SimAccount>();

  create(input: { email?: string; name?: string | null; id?: string }, nowMs: number): SimAccount {
    const id = input.id ?? newId();
    const email = input.email ?? `user-${id.slice(0, 8)}@example.com`;
    if (this.find(email)) throw new Error(`an account with email ${email} already exists`);
    const account: SimAccount = { id, email, name: input.name ?? null, createdAtMs: nowMs, updatedAtMs: nowMs };
    this.accounts.set(id, account);
    return account;
  }

  /** By id or email, as Heroku's account identity allows. */
  find(idOrEmail: string): SimAccount | undefined {
    const byId = this.accounts.get(idOrEmail);
    if (byId) return byId;
    const email = idOrEmail.toLowerCase();
    for (const account of this.accounts.values()) {
      if (account.email.toLowerCase() === email) return account;
    }
    return undefined;
  }

  get(idOrEmail: string): SimAccount {
    const account = this.find(idOrEmail);
    if (!account) throw new Error(`no account ${idOrEmail}`);
    return account;
  }

  list(): SimAccount[] {
    return [...this.accounts.values()];
  }
}

import { log } from "@/lib/log";

/**
 * An LRU of connections keyed by connection URL, with a global cap on open connections and
 * idle eviction. Ebbflow probes thousands of tenants from one process; without this, every
 * tenant would keep a socket open forever (10 000 tenants = 10 000 idle connections on
 * customers' Redis and Postgres servers, which count against their plan's connection limit).
 *
 * The cap is soft in one case only: when more probes run at once than the cap allows, the
 * extra connections open and are closed as soon as they go idle. The scheduler bounds its
 * concurrency far below the cap, so in practice it is never exceeded.
 */
export interface PoolOptions {
  /** Most connections open at once across all keys. */
  maxOpen: number;
  /** A connection unused this long is closed. */
  idleMs: number;
}

export interface PoolDriver<T> {
  create(key: string): Promise<T>;
  destroy(resource: T): Promise<void>;
  /** False when the connection broke and must be replaced rather than reused. */
  isHealthy(resource: T): boolean;
}

interface Entry<T> {
  key: string;
  resource: Promise<T>;
  lastUsedMs: number;
  inUse: number;
  /** Per-connection memory a backend may keep between probes (e.g. Sidekiq's process list). */
  memo: Map<string, unknown>;
  /** Serializes users that need the connection alone (a Postgres transaction). */
  queue: Promise<void>;
}

export interface Lease<T> {
  resource: T;
  memo: Map<string, unknown>;
}

export class ConnectionPool<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private sweeper: NodeJS.Timeout | undefined;
  private options: PoolOptions;

  constructor(
    private readonly name: string,
    private readonly driver: PoolDriver<T>,
    options: PoolOptions,
  ) {
    this.options = options;
  }

  configure(options: Partial<PoolOptions>): void {
    this.options = { ...this.options, ...options };
    this.evictOverCap();
  }

  get size(): number {
    return this.entries.size;
  }

  get maxOpen(): number {
    return this.options.maxOpen;
  }

  /**
   * Runs `use` with the connection for `key`, opening it if needed. With `exclusive`, waits
   * until no other exclusive user holds this connection (Postgres transactions cannot share).
   */
  async with<R>(key: string, use: (lease: Lease<T>) => Promise<R>, exclusive = false): Promise<R> {
    const entry = await this.acquire(key);
    let release: () => void = () => undefined;
    const previous = entry.queue;
    if (exclusive) {
      entry.queue = new Promise<void>((resolve) => (release = resolve));
      await previous;
    }
    try {
      const resource = await entry.resource;
      return await use({ resource, memo: entry.memo });
    } finally {
      release();
      entry.inUse -= 1;
      entry.lastUsedMs = Date.now();
      this.evictOverCap();
    }
  }

  /** Drops a connection that failed, so the next probe opens a fresh one. */
  async discard(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    await this.close(entry);
  }

  async closeAll(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((entry) => this.close(entry)));
  }

  private async acquire(key: string): Promise<Entry<T>> {
    let entry = this.entries.get(key);
    if (entry) {
      const healthy = await entry.resource.then(
        (resource) => this.driver.isHealthy(resource),
        () => false,
      );
      if (!healthy && entry.inUse === 0 && this.entries.get(key) === entry) {
        this.entries.delete(key);
        void this.close(entry);
        entry = undefined;
      }
    }
    if (!entry) {
      const created = this.driver.create(key);
      entry = { key, resource: created, lastUsedMs: Date.now(), inUse: 0, memo: new Map(), queue: Promise.resolve() };
      this.entries.set(key, entry);
      const opened = entry;
      created.catch(() => {
        if (this.entries.get(key) === opened) this.entries.delete(key);
      });
    } else {
      // Re-insert: a Map iterates in insertion order, so the front is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    entry.inUse += 1;
    entry.lastUsedMs = Date.now();
    this.evictOverCap(entry);
    this.ensureSweeper();
    return entry;
  }

  private evictOverCap(keep?: Entry<T>): void {
    if (this.entries.size <= this.options.maxOpen) return;
    for (const entry of this.entries.values()) {
      if (this.entries.size <= this.options.maxOpen) break;
      if (entry === keep || entry.inUse > 0) continue;
      this.entries.delete(entry.key);
      void this.close(entry);
    }
  }

  private ensureSweeper(): void {
    if (this.sweeper) return;
    const every = Math.max(250, Math.floor(this.options.idleMs / 2));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  private sweep(): void {
    const cutoff = Date.now() - this.options.idleMs;
    for (const entry of this.entries.values()) {
      if (entry.inUse === 0 && entry.lastUsedMs < cutoff) {
        this.entries.delete(entry.key);
        void this.close(entry);
      }
    }
    if (this.entries.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private async close(entry: Entry<T>): Promise<void> {
    try {
      await this.driver.destroy(await entry.resource);
    } catch (error) {
      // A connection that never opened or is already gone needs no closing.
      log.debug({ pool: this.name, err: error }, "closing a probe connection failed");
    }
  }
}

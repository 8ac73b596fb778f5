/** A FIFO with O(1) push and shift (a request queue at one dyno can grow long under a spike). */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  drain(): T[] {
    const rest = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return rest;
  }
}

interface DynoSlot<R> {
  name: string;
  concurrency: number;
  inFlight: number;
  waiting: Fifo<R>;
  /** False once the dyno is stopping: it serves what it has and gets nothing new. */
  routable: boolean;
}

/** Where `route` put a request: straight into a free slot, or behind the dyno's busy ones. */
export interface Placement {
  dyno: string;
  startsNow: boolean;
}

/**
 * Heroku's routing, shared by the real-time HTTP router and the discrete-event model: each
 * request goes to a web dyno picked at random among those that take requests (Heroku's
 * routers pick at random and do not look at how busy a dyno is), and waits there while all
 * of the dyno's `concurrency` slots are taken. A stopping dyno is taken out of the draw at
 * once and finishes what it already holds. The core keeps no clock: callers stamp times.
 */
export class RoutingCore<R> {
  private readonly dynos = new Map<string, DynoSlot<R>>();
  private routable: DynoSlot<R>[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** A dyno that has booted and listens: it enters the random draw. */
  addDyno(name: string, concurrency: number): void {
    if (this.dynos.has(name)) throw new Error(`dyno ${name} is already routed to`);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
    const dyno: DynoSlot<R> = { name, concurrency, inFlight: 0, waiting: new Fifo<R>(), routable: true };
    this.dynos.set(name, dyno);
    this.routable.push(dyno);
  }

  /** The dyno got SIGTERM: no new requests; it still serves what is in flight or waiting at it. */
  stopRouting(name: string): void {
    const dyno = this.dynos.get(name);
    if (!dyno || !dyno.routable) return;
    dyno.routable = false;
    this.routable = this.routable.filter((candidate) => candidate !== dyno);
  }

  /** The dyno is gone (its process exited): returns the requests still waiting at it, which fail. */
  removeDyno(name: string): R[] {
    const dyno = this.dynos.get(name);
    if (!dyno) return [];
    this.stopRouting(name);
    this.dynos.delete(name);
    return dyno.waiting.drain();
  }

  /** Places a request on a random routable dyno; null when no web dyno takes requests (Heroku's H14). */
  route(request: R): Placement | null {
    if (this.routable.length === 0) return null;
    const index = Math.min(this.routable.length - 1, Math.floor(this.random() * this.routable.length));
    const dyno = this.routable[index] as DynoSlot<R>;
    if (dyno.inFlight < dyno.concurrency) {
      dyno.inFlight += 1;
      return { dyno: dyno.name, startsNow: true };
    }
    dyno.waiting.push(request);
    return { dyno: dyno.name, startsNow: false };
  }

  /**
   * One request on `name` finished: its slot goes to the next request waiting there (returned,
   * already counted in flight), or is freed.
   */
  finish(name: string): R | undefined {
    const dyno = this.dynos.get(name);
    if (!dyno) return undefined;
    const next = dyno.waiting.shift();
    if (next === undefined) dyno.inFlight = Math.max(0, dyno.inFlight - 1);
    return next;
  }

  /** Names of the dynos in the random draw. */
  routableDynos(): string[] {
    return this.routable.map((dyno) => dyno.name);
  }

  /** Requests in flight and waiting at one dyno (zeros for an unknown one). */
  load(name: string): { inFlight: number; waiting: number } {
    const dyno = this.dynos.get(name);
    return { inFlight: dyno?.inFlight ?? 0, waiting: dyno?.waiting.length ?? 0 };
  }

  /** Requests waiting for a slot, over every dyno. */
  totalWaiting(): number {
    let waiting = 0;
    for (const dyno of this.dynos.values()) waiting += dyno.waiting.length;
    return waiting;
  }

  /** Whether the dyno holds nothing (a stopping dyno with nothing left can exit). */
  isIdle(name: string): boolean {
    const { inFlight, waiting } = this.load(name);
    return inFlight === 0 && waiting === 0;
  }
}

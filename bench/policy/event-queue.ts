/**
 * A binary min-heap of timed events. Ties break by insertion order, so a run is the same
 * every time (a heap alone would order equal times arbitrarily).
 */
export class EventQueue<T> {
  private times: number[] = [];
  private seqs: number[] = [];
  private items: T[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  peekTime(): number {
    return this.items.length > 0 ? (this.times[0] ?? Infinity) : Infinity;
  }

  push(time: number, item: T): void {
    this.times.push(time);
    this.seqs.push(this.nextSeq++);
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  /** Removes and returns the earliest event; call only when size > 0. */
  pop(): { time: number; item: T } {
    const time = this.times[0] as number;
    const item = this.items[0] as T;
    const last = this.items.length - 1;
    this.move(last, 0);
    this.times.pop();
    this.seqs.pop();
    this.items.pop();
    if (this.items.length > 0) this.down(0);
    return { time, item };
  }

  private less(a: number, b: number): boolean {
    const ta = this.times[a] as number;
    const tb = this.times[b] as number;
    return ta < tb || (ta === tb && (this.seqs[a] as number) < (this.seqs[b] as number));
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from] as number;
    this.seqs[to] = this.seqs[from] as number;
    this.items[to] = this.items[from] as T;
  }

  private swap(a: number, b: number): void {
    const t = this.times[a] as number;
    const s = this.seqs[a] as number;
    const i = this.items[a] as T;
    this.move(b, a);
    this.times[b] = t;
    this.seqs[b] = s;
    this.items[b] = i;
  }

  private up(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(index: number): void {
    let i = index;
    const n = this.items.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.less(left, smallest)) smallest = left;
      if (right < n && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}

/** A FIFO of job ids that also takes ids at the front (killed jobs go back first). */
export class JobDeque {
  private buffer: Int32Array;
  private head = 0;
  private count = 0;

  constructor(capacity = 1024) {
    this.buffer = new Int32Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  front(): number {
    return this.buffer[this.head] as number;
  }

  pushBack(id: number): void {
    this.grow();
    this.buffer[(this.head + this.count) % this.buffer.length] = id;
    this.count++;
  }

  pushFront(id: number): void {
    this.grow();
    this.head = (this.head - 1 + this.buffer.length) % this.buffer.length;
    this.buffer[this.head] = id;
    this.count++;
  }

  popFront(): number {
    const id = this.buffer[this.head] as number;
    this.head = (this.head + 1) % this.buffer.length;
    this.count--;
    return id;
  }

  private grow(): void {
    if (this.count < this.buffer.length) return;
    const next = new Int32Array(this.buffer.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.buffer[(this.head + i) % this.buffer.length] as number;
    this.buffer = next;
    this.head = 0;
  }
}

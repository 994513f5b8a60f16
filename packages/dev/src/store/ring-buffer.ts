/** A fixed-capacity FIFO: pushing into a full buffer overwrites the oldest item and counts it dropped. */
export class RingBuffer<T> {
  private readonly items: Array<T | undefined>;
  private start = 0;
  private size = 0;
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Adds an item; returns the evicted one when the buffer was full. */
  push(item: T): T | undefined {
    if (this.size < this.capacity) {
      this.items[(this.start + this.size) % this.capacity] = item;
      this.size++;
      return undefined;
    }
    const evicted = this.items[this.start];
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    this.dropped++;
    return evicted;
  }

  /** Item `i` counted from the oldest (0) to the newest (length - 1). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.items[(this.start + i) % this.capacity];
  }

  /** Newest first, stopping after `limit` matches. */
  findNewest(predicate: (item: T) => boolean, limit: number): T[] {
    const out: T[] = [];
    for (let i = this.size - 1; i >= 0 && out.length < limit; i--) {
      const item = this.items[(this.start + i) % this.capacity] as T;
      if (predicate(item)) out.push(item);
    }
    return out;
  }

  /** Oldest first. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.size; i++) yield this.items[(this.start + i) % this.capacity] as T;
  }
}

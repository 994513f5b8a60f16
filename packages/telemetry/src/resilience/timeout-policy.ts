import type { Clock } from './clock.js';
import { TimeoutError, abortReason } from './errors/resilience-errors.js';

export interface TimeoutOptions {
  /** Per-attempt timeout in ms: the attempt's AbortSignal is aborted and the attempt rejects with TimeoutError. */
  ms: number;
}

/** A signal that never aborts, handed to attempts that have neither a timeout nor a caller signal. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/**
 * Attempts whose deadlines fall into the same `granularityMs` slot share one AbortController
 * and one deadline (the slot end). Creating an AbortController costs microseconds in Node, a
 * timer per call about as much; sharing them keeps the per-call cost at a linked-list insert.
 */
export class Slot {
  readonly controller = new AbortController();
  head: SlotNode | null = null;
  tail: SlotNode | null = null;
  next: Slot | null = null;
  constructor(readonly deadline: number) {}
}

/**
 * An attempt in flight, linked into its deadline slot (if any). Settles exactly once: `fail`
 * is what the slot calls at the deadline (and a caller abort calls); subclasses settle.
 */
export abstract class SlotNode {
  prev: SlotNode | null = null;
  next: SlotNode | null = null;
  slot: Slot | null = null;
  done = false;

  abstract fail(error: unknown): void;

  link(slot: Slot): void {
    this.slot = slot;
    const tail = slot.tail;
    if (tail) {
      tail.next = this;
      this.prev = tail;
    } else slot.head = this;
    slot.tail = this;
  }

  /** Marks the node settled and unlinks it; false when it already was. */
  protected settle(): boolean {
    if (this.done) return false;
    this.done = true;
    const s = this.slot;
    if (s !== null) {
      if (this.prev) this.prev.next = this.next;
      else s.head = this.next;
      if (this.next) this.next.prev = this.prev;
      else s.tail = this.prev;
      this.prev = this.next = null;
      this.slot = null;
    }
    return true;
  }
}

/** An attempt in flight that also takes the value of a successful attempt. */
export abstract class AttemptNode<T> extends SlotNode {
  abstract ok(value: T): void;
}

/**
 * Starts one attempt: links `node` into its deadline slot (if any), calls `fn(signal)` and
 * settles `node` with the outcome, synchronous or not. The one place an attempt is invoked, for
 * the policy's fast path and its general path alike.
 */
export function startAttempt<T>(node: AttemptNode<T>, fn: (signal: AbortSignal) => T | PromiseLike<T>, slot: Slot | null, signal: AbortSignal): void {
  if (slot !== null) node.link(slot);
  let r: T | PromiseLike<T>;
  try {
    r = fn(signal);
  } catch (e) {
    node.fail(e);
    return;
  }
  if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<T>).then === 'function') {
    (r as PromiseLike<T>).then(
      (v) => node.ok(v),
      (e: unknown) => node.fail(e),
    );
  } else {
    node.ok(r as T);
  }
}

/** Generic node used by the slow path: settles a promise, detaches a caller-abort listener. */
class Pending extends AttemptNode<unknown> {
  detach: (() => void) | undefined = undefined;

  constructor(
    private readonly res: (v: unknown) => void,
    private readonly rej: (e: unknown) => void,
  ) {
    super();
  }

  ok(v: unknown): void {
    if (!this.settle()) return;
    this.cleanup();
    this.res(v);
  }

  fail(e: unknown): void {
    if (!this.settle()) return;
    this.cleanup();
    this.rej(e);
  }

  private cleanup(): void {
    if (this.detach) {
      this.detach();
      this.detach = undefined;
    }
  }
}

/**
 * Per-attempt timeout for one policy: a FIFO of deadline slots (deadlines of equal-length
 * timeouts are monotonic, so the head is always the earliest) and at most one unref'd timer,
 * armed for the head slot. At a slot's deadline every attempt still pending in it rejects with
 * TimeoutError, then the slot's signal aborts (reason: that TimeoutError), so cooperative work
 * (fetch, streams) stops too. A deadline is rounded up to the slot end, i.e. fires at most
 * `granularityMs` late (1 ms for timeouts up to 50 ms, ms/50 up to 10 ms above that).
 *
 * The slot's signal stays valid until the deadline even after the attempt settled, so work that
 * continues after the attempt resolved (reading a fetch body) is bounded by the same deadline.
 */
export class TimeoutPolicy {
  readonly ms: number;
  private readonly granularity: number;
  private head: Slot | null = null;
  private tail: Slot | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = 0;

  constructor(
    readonly dependency: string,
    options: TimeoutOptions,
    private readonly clock: Clock,
  ) {
    if (!(options.ms > 0) || !Number.isFinite(options.ms)) throw new RangeError('timeout.ms must be a positive finite number');
    this.ms = options.ms;
    this.granularity = Math.min(10, Math.max(1, Math.floor(options.ms / 50)));
  }

  /**
   * Runs one attempt of `fn` with a signal aborted at the attempt deadline or when
   * `callerSignal` aborts; the returned promise settles at the earliest of the three.
   */
  run<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, startMs: number, callerSignal: AbortSignal | undefined): Promise<T> {
    const slot = this.slotFor(startMs);
    return runPending(fn, slot, callerSignal, callerSignal ? AbortSignal.any([callerSignal, slot.controller.signal]) : slot.controller.signal);
  }

  /** Attempts currently pending (tests / inspection). */
  pendingCount(): number {
    let n = 0;
    for (let s = this.head; s; s = s.next) for (let p = s.head; p; p = p.next) n++;
    return n;
  }

  /** The deadline slot of an attempt starting at `startMs` (creates it, arms the timer). */
  slotFor(startMs: number): Slot {
    const g = this.granularity;
    const deadline = Math.ceil((startMs + this.ms) / g) * g;
    const tail = this.tail;
    if (tail !== null && tail.deadline >= deadline) return tail;
    const slot = new Slot(deadline);
    if (tail) tail.next = slot;
    else this.head = slot;
    this.tail = slot;
    if (this.timer === undefined) this.arm(deadline);
    return slot;
  }

  private arm(deadline: number): void {
    this.timerAt = deadline;
    const t = setTimeout(() => this.sweep(), Math.max(0, deadline - this.clock.now()));
    (t as { unref?: () => void }).unref?.();
    this.timer = t;
  }

  private sweep(): void {
    this.timer = undefined;
    const now = this.clock.now();
    let s = this.head;
    while (s !== null && s.deadline <= now) {
      const reason = new TimeoutError(this.dependency, this.ms);
      let p = s.head;
      while (p !== null) {
        const next = p.next;
        p.fail(reason);
        p = next;
      }
      s.head = s.tail = null;
      s.controller.abort(reason);
      s = s.next;
    }
    this.head = s;
    if (s === null) this.tail = null;
    else this.arm(Math.max(s.deadline, this.timerAt));
  }
}

/** Runs `fn` racing a caller abort only (no timeout configured). */
export function runWithCallerSignal<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, callerSignal: AbortSignal): Promise<T> {
  return runPending(fn, null, callerSignal, callerSignal);
}

function runPending<T>(
  fn: (signal: AbortSignal) => T | PromiseLike<T>,
  slot: Slot | null,
  callerSignal: AbortSignal | undefined,
  signal: AbortSignal,
): Promise<T> {
  let res!: (v: unknown) => void;
  let rej!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    res = a as (v: unknown) => void;
    rej = b;
  });
  const rec = new Pending(res, rej);
  if (callerSignal) {
    if (callerSignal.aborted) {
      rec.fail(abortReason(callerSignal));
      return promise;
    }
    const onAbort = (): void => rec.fail(abortReason(callerSignal));
    callerSignal.addEventListener('abort', onAbort, { once: true });
    rec.detach = () => callerSignal.removeEventListener('abort', onAbort);
  }
  startAttempt(rec, fn, slot, signal);
  return promise;
}

import type { HrTime } from '@opentelemetry/api';

/** Protobuf wire types used by OTLP. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

const INITIAL_CAPACITY = 64 * 1024;
/** A buffer grown past this by one large batch is released after it, not kept for the next. */
const RETAINED_CAPACITY = 1024 * 1024;
/** Strings this short have at most 3 × 42 = 126 UTF-8 bytes: their length prefix is one byte. */
const SHORT_STRING = 43;
const TWO_POW_32 = 0x1_0000_0000;
/** Key plus value characters for which every length inside a KeyValue is one byte (k + v + 6 < 128). */
const MAX_SHORT_KEY_VALUE = 121;
/** Key characters for which every length inside an integer KeyValue is one byte (k + 5 + a varint of up to 5 < 128). */
const MAX_SHORT_KEY = 100;
/** KeyValue.key (1), KeyValue.value (2), AnyValue.string_value (1), AnyValue.int_value (3): one-byte tags. */
const KEY_VALUE_KEY_TAG = (1 << 3) | 2;
const KEY_VALUE_VALUE_TAG = (2 << 3) | 2;
const ANY_VALUE_STRING_TAG = (1 << 3) | 2;
const ANY_VALUE_INT_TAG = (3 << 3) | 0;
const NANOS_PER_SECOND = 1_000_000_000;

/**
 * A protobuf writer for OTLP requests that encodes in one pass into one buffer reused from
 * batch to batch: no size-estimating pre-pass, no per-field allocations (ids are decoded from
 * hex straight into the buffer, strings are written in place), and length prefixes reserved
 * ahead of a nested message and moved only when the reservation turns out wrong. Varints are
 * always minimal, so the output is byte-for-byte canonical protobuf.
 *
 * `finish()` copies the request out: the transport keeps it for retries and compression after
 * the serializer has returned, so it cannot alias the reused buffer.
 */
export class OtlpProtoWriter {
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_CAPACITY);
  private pos = 0;
  private readonly scratch = new Float64Array(1);
  private readonly scratchBytes = new Uint8Array(this.scratch.buffer);

  /** The bytes written since the last finish(), copied out; the writer is then empty again. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.reset();
    return out;
  }

  /** Drops what was written (after a failed serialization too), keeping a moderate buffer. */
  reset(): void {
    this.pos = 0;
    if (this.buf.length > RETAINED_CAPACITY) this.buf = Buffer.allocUnsafe(INITIAL_CAPACITY);
  }

  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType);
  }

  /** A varint for a non-negative value below 2^32; other values go through {@link int64}. */
  uint32(value: number): void {
    if (value >= 0 && value < TWO_POW_32) {
      this.ensure(5);
      const buf = this.buf;
      let v = value >>> 0;
      let p = this.pos;
      while (v > 0x7f) {
        buf[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[p++] = v;
      this.pos = p;
    } else {
      this.int64(value);
    }
  }

  /** A varint holding `value` as a two's-complement int64 (negative values take ten bytes). */
  int64(value: number): void {
    let low: number;
    let high: number;
    if (value >= 0) {
      low = value >>> 0;
      high = Math.floor(value / TWO_POW_32) >>> 0;
    } else {
      const magnitude = -value;
      low = ~(magnitude >>> 0) >>> 0;
      high = ~(Math.floor(magnitude / TWO_POW_32) >>> 0) >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    while (high !== 0 || low > 0x7f) {
      buf[p++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[p++] = low;
    this.pos = p;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.put32(value >>> 0);
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.put32(low >>> 0);
    this.put32(high >>> 0);
  }

  /** An HrTime as fixed64 nanoseconds since the epoch, exact up to 2^64 ns (year 2554). */
  hrTime(time: HrTime): void {
    const seconds = time[0];
    // seconds × 1e9 exceeds 2^53 for any current timestamp: split seconds at bit 16 so that
    // each partial product is an exact double (< 2^53), then add in 32-bit halves with carry.
    // Every step below is exact integer arithmetic on doubles (`>>> 0` and `& 0xffff` take the
    // low bits of an integer, the divisions are by powers of two of multiples of them).
    const secondsLow = seconds & 0xffff;
    const fromLow = secondsLow * NANOS_PER_SECOND + time[1]; // < 2^47
    const fromHigh = ((seconds - secondsLow) / 0x1_0000) * NANOS_PER_SECOND; // to be × 2^16
    const fromHighLow16 = fromHigh & 0xffff;
    const lowSum = (fromLow >>> 0) + fromHighLow16 * 0x1_0000; // < 2^33
    const low = lowSum >>> 0;
    const high = (fromLow - (fromLow >>> 0)) / TWO_POW_32 + (fromHigh - fromHighLow16) / 0x1_0000 + (lowSum - low) / TWO_POW_32;
    this.fixed64(low, high);
  }

  double(value: number): void {
    this.ensure(8);
    this.scratch[0] = value;
    this.buf.set(this.scratchBytes, this.pos);
    this.pos += 8;
  }

  /** A length-prefixed UTF-8 string; lone surrogates become U+FFFD, as with TextEncoder. */
  string(value: string): void {
    const length = value.length;
    if (length < SHORT_STRING) {
      this.ensure(1 + 3 * length);
      const buf = this.buf;
      const start = this.pos + 1;
      let p = this.ascii(value, start);
      if (p < 0) p = start + buf.write(value, start, 'utf8');
      buf[this.pos] = p - start;
      this.pos = p;
      return;
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.uint32(bytes);
    this.ensure(bytes);
    this.pos += this.buf.write(value, this.pos, 'utf8');
  }

  /**
   * A whole `KeyValue { key, value: AnyValue { string_value } }` under `field` (below 16), in one
   * pass with every length a constant one byte, when key and value are ASCII and 121 characters
   * together at most (most attributes: `http.request.method` = `GET`). Returns false having
   * written nothing otherwise; the caller then takes the general path. The bytes are those of
   * the general path (tag, string, nested lengths), without its reservations, length fix-ups
   * and per-field capacity checks, which cost more than the characters themselves.
   */
  asciiStringKeyValue(field: number, key: string, value: string): boolean {
    const k = key.length;
    const v = value.length;
    if (k + v > MAX_SHORT_KEY_VALUE || field > 15) return false;
    this.ensure(k + v + 8);
    // key field (2 + k) + value field (2 + AnyValue of 2 + v)
    let p = this.keyValueHead(field, k + v + 6, key);
    if (p < 0) return false;
    const buf = this.buf;
    buf[p++] = KEY_VALUE_VALUE_TAG;
    buf[p++] = v + 2;
    buf[p++] = ANY_VALUE_STRING_TAG;
    buf[p++] = v;
    p = this.ascii(value, p);
    if (p < 0) return false;
    this.pos = p;
    return true;
  }

  /**
   * A whole `KeyValue { key, value: AnyValue { int_value } }` under `field` (below 16) for an
   * integer in [0, 2^32) and an ASCII key of 100 characters at most, as {@link asciiStringKeyValue}
   * does for strings; false, having written nothing, otherwise.
   */
  smallIntKeyValue(field: number, key: string, value: number): boolean {
    const k = key.length;
    if (k > MAX_SHORT_KEY || field > 15 || !(value >= 0 && value < TWO_POW_32) || value !== Math.floor(value)) return false;
    const n = varintSize(value);
    this.ensure(k + n + 7);
    // key field (2 + k) + value field (2 + AnyValue of 1 + n)
    let p = this.keyValueHead(field, k + n + 5, key);
    if (p < 0) return false;
    const buf = this.buf;
    buf[p++] = KEY_VALUE_VALUE_TAG;
    buf[p++] = n + 1;
    buf[p++] = ANY_VALUE_INT_TAG;
    let rest = value;
    while (rest > 0x7f) {
      buf[p++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    buf[p++] = rest;
    this.pos = p;
    return true;
  }

  /**
   * A KeyValue's tag, one-byte `length` and key field, written from `pos` without moving it (the
   * caller checked capacity): the position after them, or -1 when the key is not ASCII.
   */
  private keyValueHead(field: number, length: number, key: string): number {
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = (field << 3) | WIRE_LENGTH_DELIMITED;
    buf[p++] = length;
    buf[p++] = KEY_VALUE_KEY_TAG;
    buf[p++] = key.length;
    return this.ascii(key, p);
  }

  /**
   * Copies `s` to the buffer at `p` one byte per character (the caller checked capacity): the
   * position after it, or -1 at the first character that is not ASCII (its UTF-8 is longer).
   */
  private ascii(s: string, p: number): number {
    const buf = this.buf;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return -1;
      buf[p++] = c;
    }
    return p;
  }

  /** Length-prefixed bytes. */
  bytes(value: Uint8Array): void {
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /**
   * Length-prefixed bytes decoded from a hex id (trace and span ids), without an intermediate
   * array. Odd trailing digits are ignored and non-hex characters decode as the OTel transformer
   * decodes them, so even a malformed id encodes exactly as upstream would.
   */
  hexBytes(hex: string): void {
    const n = hex.length >>> 1;
    this.uint32(n);
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const hi = hex.charCodeAt(2 * i);
      const lo = hex.charCodeAt(2 * i + 1);
      buf[p++] = ((hi < 128 ? HEX_DIGITS[hi]! : hexDigit(hi)) << 4) | (lo < 128 ? HEX_DIGITS[lo]! : hexDigit(lo));
    }
    this.pos = p;
  }

  /**
   * Starts a length-delimited message, reserving `reserve` bytes for its length: one for small
   * messages (< 128 bytes), more for messages usually larger. Returns the mark for {@link end}.
   */
  begin(reserve: number): number {
    this.ensure(reserve);
    const mark = this.pos;
    this.pos += reserve;
    return mark;
  }

  /** Ends the message begun at `mark`: writes its length, moving the body if the reservation was off. */
  end(mark: number, reserve: number): void {
    const length = this.pos - mark - reserve;
    const needed = varintSize(length);
    if (needed !== reserve) {
      if (needed > reserve) this.ensure(needed - reserve);
      this.buf.copyWithin(mark + needed, mark + reserve, this.pos);
      this.pos += needed - reserve;
    }
    const buf = this.buf;
    let p = mark;
    let v = length;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
  }

  private put32(v: number): void {
    const buf = this.buf;
    const p = this.pos;
    buf[p] = v;
    buf[p + 1] = v >>> 8;
    buf[p + 2] = v >>> 16;
    buf[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}

function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x20_0000) return 3;
  if (v < 0x1000_0000) return 4;
  return 5;
}

/** hexDigit() of every ASCII code, looked up instead of branched on in the id loop. */
const HEX_DIGITS = Int16Array.from({ length: 128 }, (_, c) => hexDigit(c));

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return c - 55; // A-F (anything else is not an id anyway)
}

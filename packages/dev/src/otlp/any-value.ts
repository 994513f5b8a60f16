/**
 * OTLP AnyValue / KeyValue lists to plain values, for both decodings: protobufjs message
 * instances (set fields are own properties, 64-bit ints are Long objects, bytes are Uint8Array)
 * and OTLP/JSON (lowerCamelCase keys, 64-bit ints as decimal strings, bytes as base64).
 * Every size is bounded by ITEM_LIMITS; `cut.truncated` records that something was cut.
 */
import type { AttributeValue, Attributes } from '../model.js';
import { ITEM_LIMITS } from './limits.js';

export interface Cut {
  truncated: boolean;
}

type Obj = Record<string, unknown>;
const own = (o: Obj, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

export function boundString(s: string, cut: Cut, max: number = ITEM_LIMITS.maxStringLength): string {
  if (s.length <= max) return s;
  cut.truncated = true;
  return `${s.slice(0, max)}… (${s.length} chars)`;
}

/** int64/uint64/fixed64 in either decoding (Long, number, decimal string) to a JS number. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v === '' ? 0 : Number(v);
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && 'toNumber' in v && typeof (v as { toNumber: unknown }).toNumber === 'function') {
    return (v as { toNumber(): number }).toNumber();
  }
  return 0;
}

/** Unix nanoseconds (any 64-bit form) to fractional epoch milliseconds. */
export function nanosToMs(v: unknown): number {
  if (v !== null && typeof v === 'object' && 'high' in v && 'low' in v) {
    const { high, low } = v as { high: number; low: number };
    return ((high >>> 0) * 4_294_967_296 + (low >>> 0)) / 1e6;
  }
  const n = toNumber(v);
  return Number.isFinite(n) ? n / 1e6 : 0;
}

/** Trace/span id: bytes (protobuf) or hex (OTLP/JSON) to lower-case hex; '' when absent or invalid. */
export function idToHex(v: unknown, bytes: 8 | 16): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') {
    const hex = v.toLowerCase();
    return hex.length === bytes * 2 && /^[0-9a-f]+$/.test(hex) && !/^0+$/.test(hex) ? hex : '';
  }
  if (v instanceof Uint8Array) {
    if (v.length !== bytes) return '';
    const hex = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
    return /^0+$/.test(hex) ? '' : hex;
  }
  return '';
}

export function anyValue(v: unknown, cut: Cut, depth = 0): AttributeValue {
  if (v === null || typeof v !== 'object') return null;
  const o = v as Obj;
  if (own(o, 'stringValue')) return boundString(String(o.stringValue), cut);
  if (own(o, 'boolValue')) return Boolean(o.boolValue);
  if (own(o, 'intValue')) return toNumber(o.intValue);
  if (own(o, 'doubleValue')) {
    const d = Number(o.doubleValue);
    return Number.isFinite(d) ? d : String(o.doubleValue);
  }
  if (own(o, 'bytesValue')) {
    const b = o.bytesValue;
    const text = b instanceof Uint8Array ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64') : String(b);
    return boundString(text, cut);
  }
  if (depth >= ITEM_LIMITS.maxDepth && (own(o, 'arrayValue') || own(o, 'kvlistValue'))) {
    cut.truncated = true;
    return '[nested too deep]';
  }
  if (own(o, 'arrayValue')) {
    const values = listOf((o.arrayValue as Obj | null)?.values);
    if (values.length > ITEM_LIMITS.maxArrayLength) cut.truncated = true;
    return values.slice(0, ITEM_LIMITS.maxArrayLength).map((x) => anyValue(x, cut, depth + 1));
  }
  if (own(o, 'kvlistValue')) return keyValues((o.kvlistValue as Obj | null)?.values, cut, depth + 1, ITEM_LIMITS.maxArrayLength);
  return null;
}

export function keyValues(list: unknown, cut: Cut, depth = 0, max: number = ITEM_LIMITS.maxAttributes): Attributes {
  const out: Attributes = Object.create(null) as Attributes;
  const items = listOf(list);
  if (items.length > max) cut.truncated = true;
  const n = Math.min(items.length, max);
  for (let i = 0; i < n; i++) {
    const kv = items[i] as Obj | null;
    if (kv === null || typeof kv !== 'object') continue;
    const key = boundString(String(kv.key ?? ''), cut, 256);
    out[key] = anyValue(kv.value, cut, depth);
  }
  return out;
}

export function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** Plain text of a log body: strings as they are, anything structured as JSON. */
export function bodyText(v: AttributeValue): string {
  if (v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT, type OtlpProtoWriter } from './otlp-proto-writer.js';

// opentelemetry/proto/common/v1/common.proto and resource/v1/resource.proto, written with the
// same presence rules as @opentelemetry/otlp-transformer so that the bytes are identical.

/** int64 bounds for int_value vs double_value (both exact doubles). */
const MIN_INT64 = -(2 ** 63);
const MAX_INT64_EXCLUSIVE = 2 ** 63;

/** `repeated KeyValue` under field `field`: one entry per own enumerable key, undefined values included. */
export function writeAttributes(w: OtlpProtoWriter, field: number, attributes: object): void {
  const map = attributes as Record<string, unknown>;
  for (const key in map) {
    if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
    const value = map[key];
    if (typeof value === 'string' ? w.asciiStringKeyValue(field, key, value) : typeof value === 'number' && w.smallIntKeyValue(field, key, value)) continue;
    w.tag(field, WIRE_LENGTH_DELIMITED);
    writeKeyValueBody(w, key, value);
  }
}

/** KeyValue { 1: key, 2: AnyValue } without its own tag, length-prefixed. */
function writeKeyValueBody(w: OtlpProtoWriter, key: string, value: unknown): void {
  const kv = w.begin(1);
  w.tag(1, WIRE_LENGTH_DELIMITED);
  w.string(key);
  w.tag(2, WIRE_LENGTH_DELIMITED);
  writeAnyValueBody(w, value);
  w.end(kv, 1);
}

/**
 * An AnyValue message without its own tag, length-prefixed. Integers in the int64 range are
 * int_value, other numbers (fractions, NaN, ±Infinity, beyond int64) double_value; a
 * Uint8Array is bytes_value, an array array_value, any other object a kvlist_value of its own
 * enumerable keys. Values AnyValue cannot hold (undefined, null, functions, symbols, bigints)
 * are an empty AnyValue.
 */
export function writeAnyValueBody(w: OtlpProtoWriter, value: unknown): void {
  const mark = w.begin(1);
  switch (typeof value) {
    case 'string':
      w.tag(1, WIRE_LENGTH_DELIMITED);
      w.string(value);
      break;
    case 'boolean':
      w.tag(2, WIRE_VARINT);
      w.uint32(value ? 1 : 0);
      break;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64_EXCLUSIVE) {
        w.tag(3, WIRE_VARINT);
        w.int64(value);
      } else {
        w.tag(4, WIRE_FIXED64);
        w.double(value);
      }
      break;
    case 'object':
      if (value === null) break;
      if (value instanceof Uint8Array) {
        w.tag(7, WIRE_LENGTH_DELIMITED);
        w.bytes(value);
      } else if (Array.isArray(value)) {
        w.tag(5, WIRE_LENGTH_DELIMITED);
        const array = w.begin(1);
        for (const item of value) {
          w.tag(1, WIRE_LENGTH_DELIMITED);
          writeAnyValueBody(w, item);
        }
        w.end(array, 1);
      } else {
        w.tag(6, WIRE_LENGTH_DELIMITED);
        const kvlist = w.begin(1);
        writeAttributes(w, 1, value);
        w.end(kvlist, 1);
      }
      break;
    default:
      break;
  }
  w.end(mark, 1);
}

/** InstrumentationScope { 1: name, 2: version, 3: attributes, 4: dropped_attributes_count } under `field`. */
export function writeScope(w: OtlpProtoWriter, field: number, scope: InstrumentationScope): void {
  const withAttributes = scope as InstrumentationScope & { attributes?: object; droppedAttributesCount?: number };
  w.tag(field, WIRE_LENGTH_DELIMITED);
  const mark = w.begin(1);
  w.tag(1, WIRE_LENGTH_DELIMITED);
  w.string(scope.name);
  if (scope.version) {
    w.tag(2, WIRE_LENGTH_DELIMITED);
    w.string(scope.version);
  }
  if (withAttributes.attributes) writeAttributes(w, 3, withAttributes.attributes);
  if (withAttributes.droppedAttributesCount) {
    w.tag(4, WIRE_VARINT);
    w.uint32(withAttributes.droppedAttributesCount);
  }
  w.end(mark, 1);
}

/** Resource { 1: attributes, 2: dropped_attributes_count (always 0: the SDK drops none) } under `field`. */
export function writeResource(w: OtlpProtoWriter, field: number, resource: Resource): void {
  w.tag(field, WIRE_LENGTH_DELIMITED);
  const mark = w.begin(2);
  if (resource.attributes) writeAttributes(w, 1, resource.attributes);
  w.tag(2, WIRE_VARINT);
  w.uint32(0);
  w.end(mark, 2);
}

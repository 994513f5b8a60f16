// @ts-check
/**
 * Counts what an OTLP/HTTP export request carries, without decoding it into objects: SERVER
 * spans in an ExportTraceServiceRequest, and log records (all, and those whose body is a given
 * string) in an ExportLogsServiceRequest. Protobuf is walked field by field (wire format only:
 * the field numbers below are those of opentelemetry-proto's trace/v1 and logs/v1); JSON bodies
 * are parsed. For a benchmark's "nothing was dropped" check, not a general decoder.
 */

const SPAN_KIND_SERVER = 2;

/**
 * @param {'traces' | 'logs'} signal
 * @param {Buffer} body the (already decompressed) request body
 * @param {boolean} json
 * @param {string} logBody log records whose body is this string are counted apart
 * @returns {{ serverSpans: number, logRecords: number, matchingLogRecords: number }}
 */
export function countOtlpRecords(signal, body, json, logBody) {
  const counts = { serverSpans: 0, logRecords: 0, matchingLogRecords: 0 };
  if (json) {
    const parsed = JSON.parse(body.toString('utf8'));
    if (signal === 'traces') {
      for (const rs of parsed.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) if (s.kind === SPAN_KIND_SERVER) counts.serverSpans++;
    } else {
      for (const rl of parsed.resourceLogs ?? [])
        for (const sl of rl.scopeLogs ?? [])
          for (const r of sl.logRecords ?? []) {
            counts.logRecords++;
            if (r.body?.stringValue === logBody) counts.matchingLogRecords++;
          }
    }
    return counts;
  }
  const expected = Buffer.from(logBody, 'utf8');
  // Request field 1 (resource_spans / resource_logs) -> field 2 (scope_*) -> field 2 (spans / log_records).
  for (const [field1, resource] of fields(body, 0, body.length)) {
    if (field1 !== 1 || resource === undefined) continue;
    for (const [field2, scope] of fields(body, resource[0], resource[1])) {
      if (field2 !== 2 || scope === undefined) continue;
      for (const [field3, item] of fields(body, scope[0], scope[1])) {
        if (field3 !== 2 || item === undefined) continue;
        if (signal === 'traces') {
          if (varintField(body, item, 6) === SPAN_KIND_SERVER) counts.serverSpans++;
        } else {
          counts.logRecords++;
          if (logBodyEquals(body, item, expected)) counts.matchingLogRecords++;
        }
      }
    }
  }
  return counts;
}

/** LogRecord.body (5) is an AnyValue whose string_value (1) equals `expected`. */
function logBodyEquals(buf, [start, end], expected) {
  for (const [field, value] of fields(buf, start, end)) {
    if (field !== 5 || value === undefined) continue;
    for (const [f, v] of fields(buf, value[0], value[1])) {
      if (f === 1 && v !== undefined) return v[1] - v[0] === expected.length && buf.compare(expected, 0, expected.length, v[0], v[1]) === 0;
    }
  }
  return false;
}

/** The value of varint field `wanted` in the message at [start, end), or undefined. */
function varintField(buf, [start, end], wanted) {
  let pos = start;
  while (pos < end) {
    const [key, afterKey] = readVarint(buf, pos);
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) {
      const [value, next] = readVarint(buf, afterKey);
      if (field === wanted) return value;
      pos = next;
    } else {
      pos = skip(buf, afterKey, wire);
    }
  }
  return undefined;
}

/**
 * The fields of the message at [start, end): [field number, [start, end) of a length-delimited
 * value or undefined for other wire types].
 * @returns {Generator<[number, [number, number] | undefined]>}
 */
function* fields(buf, start, end) {
  let pos = start;
  while (pos < end) {
    const [key, afterKey] = readVarint(buf, pos);
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 2) {
      const [len, valueStart] = readVarint(buf, afterKey);
      yield [field, [valueStart, valueStart + len]];
      pos = valueStart + len;
    } else {
      yield [field, undefined];
      pos = skip(buf, afterKey, wire);
    }
  }
  if (pos !== end) throw new Error('malformed protobuf: a field runs past its message');
}

function skip(buf, pos, wire) {
  switch (wire) {
    case 0:
      return readVarint(buf, pos)[1];
    case 1:
      return pos + 8;
    case 2: {
      const [len, start] = readVarint(buf, pos);
      return start + len;
    }
    case 5:
      return pos + 4;
    default:
      throw new Error(`malformed protobuf: wire type ${wire}`);
  }
}

/** A varint up to 2^53 (enough for lengths, keys and enum values). */
function readVarint(buf, pos) {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error('malformed protobuf: truncated varint');
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
}

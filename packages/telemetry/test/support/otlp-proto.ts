/**
 * The OTLP v1 protobuf schema the test receiver decodes with: the one `platform dev` ships
 * (packages/dev/src/otlp/proto-schema.ts, written from the public spec), so there is one copy.
 */
export { OTLP_PROTO_SCHEMA as OTLP_PROTO } from '../../../dev/src/otlp/proto-schema.js';

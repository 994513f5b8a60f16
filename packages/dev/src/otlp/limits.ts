/**
 * Per-item bounds applied while normalizing: a remote caller controls every byte of an export,
 * so nothing it sends may make one stored item unbounded (the stores bound the item count).
 */
export const ITEM_LIMITS = {
  /** Attributes kept per span, event, log record and resource. */
  maxAttributes: 128,
  /** Characters kept per string value (longer ones end with an ellipsis and the original length). */
  maxStringLength: 4_096,
  /** Span events kept per span. */
  maxEvents: 128,
  /** Elements kept per array value and entries per key-value list. */
  maxArrayLength: 64,
  /** Nesting depth of array / key-value-list values. */
  maxDepth: 6,
  /** Characters kept of a log body. */
  maxBodyLength: 16_384,
} as const;

/** What a log line holds of an error: plain, bounded and free of cycles. */
export interface SerializedError {
  type: string;
  message: string;
  code?: string | number;
  stack?: string;
  /** Other primitive fields the error carries: errno, syscall, address, port, retriable, broker… */
  [field: string]: unknown;
  cause?: SerializedError | string;
  /** An AggregateError's errors (the first few). */
  errors?: Array<SerializedError | string>;
}

/** Causes followed at most this deep, and fields / aggregated errors kept at most per error. */
const MAX_DEPTH = 5;
const MAX_FIELDS = 12;
const MAX_ERRORS = 5;

/**
 * pino's `err` serializer. The standard one copies every enumerable property, and database
 * and broker clients hang whole topologies and sockets on their errors (the MongoDB
 * driver's server-selection error, for one), which pino then cannot stringify: the line
 * said `[unable to serialize, circular reference is too complex to analyze]` instead of
 * the error. This keeps the message, code, stack, the error's primitive fields and its
 * cause chain (followed safely through cycles), and nothing else.
 */
export function serializeError(error: unknown, depth = 0, seen: Set<unknown> = new Set()): SerializedError | string {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : safeString(error);
  if (seen.has(error)) return `[circular: ${error.name}]`;
  seen.add(error);
  const out: SerializedError = { type: error.constructor.name || error.name, message: error.message };
  let fields = 0;
  for (const [key, value] of Object.entries(error)) {
    if (key === 'message' || key === 'stack' || key === 'cause' || key === 'errors') continue;
    const primitive = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (primitive && fields < MAX_FIELDS) {
      out[key] = value;
      fields += 1;
    }
  }
  if (error.stack) out.stack = error.stack;
  if (error.cause !== undefined) out.cause = depth < MAX_DEPTH ? serializeError(error.cause, depth + 1, seen) : '[cause chain too deep]';
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    out.errors = (error.errors as unknown[]).slice(0, MAX_ERRORS).map((inner) => (depth < MAX_DEPTH ? serializeError(inner, depth + 1, seen) : '[too deep]'));
  }
  return out;
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

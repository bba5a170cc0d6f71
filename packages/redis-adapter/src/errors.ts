/** Errors of the Redis adapter: one class, a stable `code`, the partial result when there is one. */

export type RedisAdapterErrorCode =
  /** Some nodes did not answer a cluster request in time; `partial` holds what arrived. */
  | "CLUSTER_REQUEST_TIMEOUT"
  /** A Redis command or connection failed (the adapter keeps running; Redis clients reconnect). */
  | "REDIS_ERROR"
  /** A message from Redis could not be decoded; it was ignored. */
  | "MALFORMED_MESSAGE"
  /** The adapter was closed while a request was pending. */
  | "ADAPTER_CLOSED";

export class RedisAdapterError<P = unknown> extends Error {
  override readonly name = "RedisAdapterError";
  /**
   * @param code stable string code
   * @param partial for CLUSTER_REQUEST_TIMEOUT: what was collected before the timeout
   * @param expected how many node answers were expected
   * @param received how many node answers arrived
   */
  constructor(
    readonly code: RedisAdapterErrorCode,
    message: string,
    readonly partial?: P,
    readonly expected?: number,
    readonly received?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function requestTimeoutError<P>(
  what: string,
  partial: P,
  expected: number,
  received: number,
): RedisAdapterError<P> {
  return new RedisAdapterError(
    "CLUSTER_REQUEST_TIMEOUT",
    `timeout reached while waiting for ${what} response: ${received} of ${expected} other nodes answered`,
    partial,
    expected,
    received,
  );
}

export function redisError(what: string, cause: unknown): RedisAdapterError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RedisAdapterError("REDIS_ERROR", `${what}: ${detail}`, undefined, undefined, undefined, { cause });
}

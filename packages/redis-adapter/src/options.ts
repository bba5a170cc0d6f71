/** Options of `createAdapter()`, their defaults, and the resolver. */

export interface RedisAdapterOptions {
  /**
   * Prefix of every channel and key, as `key` of `@socket.io/redis-adapter` (channels
   * `<key>#<nsp>#`, `<key>-request#<nsp>#`...). Keep the official default to share a cluster
   * with socket.io nodes and `@socket.io/redis-emitter`.
   * @default "socket.io"
   */
  key?: string;
  /**
   * How long a cluster request (fetchSockets, serverSideEmit with ack, broadcast acks'
   * client counts...) waits for the other nodes, in ms. A `timeout()` flag overrides it.
   * @default 5000
   */
  requestsTimeout?: number;
  /**
   * Interest-based routing: subscribe only to the channels of rooms that have a local member
   * (plus the namespace channel), instead of every channel of the namespace (pattern
   * subscription, as the official adapter does). Wire-compatible either way.
   * @default true
   */
  routing?: boolean;
  /**
   * `"pubsub"`: broadcasts through Redis pub/sub (the classic adapter's format).
   * `"streams"`: broadcasts through a Redis stream, sessions kept in Redis: connection state
   * recovery works across nodes (a client may come back on another node).
   * @default "pubsub"
   */
  mode?: "pubsub" | "streams";
  /** Streams mode: name of the stream. @default "<key>-stream" */
  streamName?: string;
  /** Streams mode: approximate maximum length of the stream (`XADD MAXLEN ~`). @default 10000 */
  maxLen?: number;
  /** Streams mode: entries read per `XREAD`. @default 100 */
  readCount?: number;
  /** Streams mode: how long one `XREAD` blocks, in ms. @default 5000 */
  blockTimeMs?: number;
  /** Streams mode: prefix of session keys. @default "<key>:session:" */
  sessionKeyPrefix?: string;
  /**
   * Streams mode: how long a session is kept after its socket left (should equal the server's
   * `connectionStateRecovery.maxDisconnectionDuration`), in ms.
   * @default 120000
   */
  maxDisconnectionDuration?: number;
  /**
   * Streams mode: how often a node rewrites its live sessions (rooms, `data`) in Redis so that
   * they survive the node's sudden death, in ms.
   * @default 5000
   */
  sessionRefreshInterval?: number;
}

export type ResolvedRedisAdapterOptions = Required<RedisAdapterOptions>;

export const REDIS_ADAPTER_DEFAULTS = Object.freeze({
  key: "socket.io",
  requestsTimeout: 5000,
  routing: true,
  mode: "pubsub",
  maxLen: 10_000,
  readCount: 100,
  blockTimeMs: 5000,
  maxDisconnectionDuration: 120_000,
  sessionRefreshInterval: 5000,
} as const);

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`The "${name}" option must be a positive number.`);
  return value;
}

export function resolveOptions(o: RedisAdapterOptions = {}): ResolvedRedisAdapterOptions {
  const d = REDIS_ADAPTER_DEFAULTS;
  const key = o.key ?? d.key;
  const mode = o.mode ?? d.mode;
  if (mode !== "pubsub" && mode !== "streams") throw new TypeError(`The "mode" option must be "pubsub" or "streams".`);
  return {
    key,
    requestsTimeout: positive("requestsTimeout", o.requestsTimeout ?? d.requestsTimeout),
    routing: o.routing ?? d.routing,
    mode,
    streamName: o.streamName ?? `${key}-stream`,
    maxLen: positive("maxLen", o.maxLen ?? d.maxLen),
    readCount: positive("readCount", o.readCount ?? d.readCount),
    blockTimeMs: positive("blockTimeMs", o.blockTimeMs ?? d.blockTimeMs),
    sessionKeyPrefix: o.sessionKeyPrefix ?? `${key}:session:`,
    maxDisconnectionDuration: positive(
      "maxDisconnectionDuration",
      o.maxDisconnectionDuration ?? d.maxDisconnectionDuration,
    ),
    sessionRefreshInterval: positive("sessionRefreshInterval", o.sessionRefreshInterval ?? d.sessionRefreshInterval),
  };
}

/** `@omnio/redis-adapter`: many omnio nodes act as one server through Redis. */
export { createAdapter } from "./create-adapter.js";
export { RedisAdapter, type RedisAdapterContext } from "./redis-adapter.js";
export { StreamsRedisAdapter } from "./streams-adapter.js";
export { RedisAdapterError, type RedisAdapterErrorCode } from "./errors.js";
export { REDIS_ADAPTER_DEFAULTS, type RedisAdapterOptions } from "./options.js";

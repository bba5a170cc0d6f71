/**
 * `createAdapter(pub, sub, opts)`: the `adapter` option of an omnio `Server`, one adapter per
 * namespace, all sharing the two Redis connections.
 */
import type { Adapter } from "@omnio/server";
import type { Redis } from "ioredis";
import { resolveOptions, type RedisAdapterOptions } from "./options.js";
import { RedisAdapter } from "./redis-adapter.js";
import { StreamsRedisAdapter } from "./streams-adapter.js";
import { SubscriptionHub } from "./subscriptions.js";

type AdapterNamespace = ConstructorParameters<typeof Adapter>[0];

/**
 * Creates the Redis adapter factory.
 *
 * @param pubClient an ioredis client for commands and PUBLISH
 * @param subClient another ioredis client, used only for subscriptions (e.g. `pubClient.duplicate()`)
 * @param opts see {@link RedisAdapterOptions}
 *
 * @example
 * import { Server } from "@omnio/server";
 * import { createAdapter } from "@omnio/redis-adapter";
 * import { Redis } from "ioredis";
 *
 * const pub = new Redis("redis://127.0.0.1:6379");
 * const io = new Server(3000, { adapter: createAdapter(pub, pub.duplicate()) });
 */
export function createAdapter(
  pubClient: Redis,
  subClient: Redis,
  opts: RedisAdapterOptions = {},
): (nsp: AdapterNamespace) => RedisAdapter {
  if (pubClient === subClient) {
    throw new TypeError(
      "The pub and sub clients must be two connections (a subscribed connection cannot run commands).",
    );
  }
  const resolved = resolveOptions(opts);
  let hub: SubscriptionHub | undefined;
  return (nsp) => {
    hub ??= new SubscriptionHub(subClient, pubClient, () => {
      /* subscription failures surface as client errors, reported by each adapter */
    });
    const ctx = { pub: pubClient, hub, opts: resolved };
    return resolved.mode === "streams" ? new StreamsRedisAdapter(nsp, ctx) : new RedisAdapter(nsp, ctx);
  };
}

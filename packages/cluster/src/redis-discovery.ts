/**
 * Peer discovery through Redis, for clusters that already run Redis for their adapter: each
 * node keeps `<nodeId>|<address>` in a sorted set scored by an expiry time (Redis's own clock,
 * so node clocks need not agree), refreshes it every `ttl / 3`, drops expired members and hands
 * the live ones to `forwarding.setPeers()`. A node that dies stops refreshing and disappears
 * after `ttl`; until then, requests for its sessions meet a refused connection and get
 * "Session ID unknown", as with a static list.
 *
 * Works with any client that has ioredis's method shapes (ioredis is what
 * `@omnio/redis-adapter` uses); this package does not depend on it.
 */
import type { Forwarding } from "./forwarding.js";
import { resolvePeers } from "./forwarding-options.js";
import { checkNodeId } from "./session-id.js";

/** The Redis commands discovery uses, as ioredis exposes them. */
export interface DiscoveryRedis {
  time(): Promise<ArrayLike<string | number>>;
  zadd(key: string, score: number, member: string): Promise<unknown>;
  zremrangebyscore(key: string, min: number | string, max: number | string): Promise<unknown>;
  zrangebyscore(key: string, min: number | string, max: number | string, withScores: "WITHSCORES"): Promise<string[]>;
  zrem(key: string, member: string): Promise<unknown>;
}

export interface RedisDiscoveryOptions {
  /** This node's address as the other nodes reach it (`http://host:port`). */
  address: string;
  /** The sorted set's key. @default "omnio:nodes" */
  key?: string;
  /** How long an entry lives without a refresh, in ms. @default 10000 */
  ttl?: number;
  /** Called with each Redis failure; the last known peers stay in use. @default console.warn once per outage */
  onError?: (err: Error) => void;
}

/** Registry entries that are valid peers; a malformed entry is skipped, not fatal. */
function validEntries(peers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, url] of Object.entries(peers)) {
    try {
      resolvePeers({ [id]: url }, "");
      out[id] = url;
    } catch {
      /* skipped */
    }
  }
  return out;
}

export const REDIS_DISCOVERY_DEFAULTS = Object.freeze({ key: "omnio:nodes", ttl: 10000 });

/** What {@link discoverPeersThroughRedis} returns. */
export interface RedisDiscovery {
  /** Registers and reads the peers now (also done every `ttl / 3`). */
  refresh(): Promise<void>;
  /** Stops refreshing and removes this node's entry. */
  stop(): Promise<void>;
}

/**
 * Registers `forwarding`'s node in Redis and keeps its peer table in sync with the others'.
 * Resolves after the first refresh.
 *
 * @example
 * const forwarding = enableForwarding(io, { nodeId: "a", secret });
 * const discovery = await discoverPeersThroughRedis(forwarding, pub, { address: "http://10.0.0.1:3000" });
 */
export async function discoverPeersThroughRedis(
  forwarding: Forwarding,
  redis: DiscoveryRedis,
  options: RedisDiscoveryOptions,
): Promise<RedisDiscovery> {
  const key = options.key ?? REDIS_DISCOVERY_DEFAULTS.key;
  const ttl = options.ttl ?? REDIS_DISCOVERY_DEFAULTS.ttl;
  if (!(ttl >= 300)) throw new TypeError("The discovery ttl must be at least 300 ms.");
  const address = new URL(options.address).origin;
  const self = `${checkNodeId(forwarding.nodeId)}|${address}`;
  let failing = false;
  const onError =
    options.onError ??
    ((err: Error) => {
      if (!failing) console.warn(`omnio cluster discovery: ${err.message}`);
    });

  let stopped = false;
  let inflight: Promise<void> = Promise.resolve();
  const refresh = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    inflight = inflight.then(refreshOnce);
    return inflight;
  };
  const refreshOnce = async (): Promise<void> => {
    if (stopped) return;
    try {
      const t = await redis.time(); // [seconds, microseconds]
      const now = Number(t[0]) * 1000 + Math.floor(Number(t[1]) / 1000);
      await redis.zadd(key, now + ttl, self);
      await redis.zremrangebyscore(key, "-inf", now);
      const flat = await redis.zrangebyscore(key, now, "+inf", "WITHSCORES");
      // Ascending scores: a node listed twice (it moved) ends with its freshest address.
      const peers: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const member = flat[i]!;
        const bar = member.indexOf("|");
        if (bar > 0) peers[member.slice(0, bar)] = member.slice(bar + 1);
      }
      forwarding.setPeers(validEntries(peers));
      failing = false;
    } catch (err) {
      onError(err instanceof Error ? err : new Error(String(err)));
      failing = true;
    }
  };

  await refresh();
  // A session of a node that joined since the last refresh: refresh now, at most once a second
  // (random owner ids from a client must not turn into a Redis command each).
  let lastOnDemand = 0;
  forwarding.setPeerLookup(() => {
    const now = Date.now();
    if (now - lastOnDemand < 1000) return inflight;
    lastOnDemand = now;
    return refresh();
  });
  const timer = setInterval(() => void refresh(), Math.floor(ttl / 3));
  timer.unref?.();
  return {
    refresh,
    async stop() {
      stopped = true;
      clearInterval(timer);
      forwarding.setPeerLookup(undefined);
      await inflight; // a refresh under way must not re-register this node after the removal
      try {
        await redis.zrem(key, self);
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };
}

/**
 * Connection state recovery sessions kept in Redis, so a client can recover on any node. Each
 * value starts with its owner node's uid (`<uid>|<msgpack session>`): a node only overwrites or
 * deletes a session it owns, so a late write from the node a client left behind cannot clobber
 * the state written by the node it moved to.
 */
import type { Redis } from "ioredis";
import msgpack from "notepack.io";

export interface StoredSession {
  sid: string;
  pid: string;
  rooms: Array<string | number>;
  data: unknown;
}

const SET_IF_OWNED = `local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

const DEL_IF_OWNED = `local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class SessionStore {
  readonly #owner: Buffer;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    owner: string,
  ) {
    this.#owner = Buffer.from(owner + "|");
  }

  #value(session: StoredSession): Buffer {
    const body = msgpack.encode({
      sid: session.sid,
      pid: session.pid,
      rooms: session.rooms,
      data: session.data,
    }) as Buffer;
    return Buffer.concat([this.#owner, body]);
  }

  /** Writes the session of a live local socket (this node owns it from now on). */
  async save(session: StoredSession, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + session.pid, this.#value(session), "PX", Math.ceil(ttlMs));
  }

  /** Writes many at once (the periodic refresh). */
  async saveMany(sessions: StoredSession[], ttlMs: number): Promise<void> {
    if (sessions.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const s of sessions) pipeline.set(this.prefix + s.pid, this.#value(s), "PX", Math.ceil(ttlMs));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /** Writes the session of a socket that left, unless another node took it over meanwhile. */
  async persist(session: StoredSession, ttlMs: number): Promise<void> {
    await this.redis.eval(
      SET_IF_OWNED,
      1,
      this.prefix + session.pid,
      this.#owner,
      this.#value(session),
      Math.ceil(ttlMs),
    );
  }

  /** Forgets the session of a socket that left for good, if this node owns it. */
  async remove(pid: string): Promise<void> {
    await this.redis.eval(DEL_IF_OWNED, 1, this.prefix + pid, this.#owner);
  }

  /** The stored session of `pid`, or undefined. */
  async get(pid: string): Promise<StoredSession | undefined> {
    const raw = await this.redis.getBuffer(this.prefix + pid);
    if (!raw) return undefined;
    const bar = raw.indexOf(0x7c); // "|"
    if (bar < 0) return undefined;
    try {
      const s = msgpack.decode(raw.subarray(bar + 1)) as Partial<StoredSession> | null;
      if (!s || typeof s.sid !== "string" || typeof s.pid !== "string" || !Array.isArray(s.rooms)) return undefined;
      return { sid: s.sid, pid: s.pid, rooms: s.rooms, data: s.data };
    } catch {
      return undefined;
    }
  }
}

/**
 * Streams mode: recoverable broadcasts go through one Redis stream (`XADD`), every node reads it
 * in order (`XREAD BLOCK` on its own connection) and delivers locally, appending the entry id as
 * the recovery offset. Sessions live in Redis (written when a socket connects or changes rooms,
 * refreshed periodically, kept `maxDisconnectionDuration` after it leaves), so a client whose
 * node died recovers on another node: same id, rooms and data, and the broadcasts it missed, in
 * stream order, without duplicates (the replay stops exactly where this node's reader stands).
 * Requests, acks and volatile broadcasts keep using pub/sub (see RedisAdapter).
 */
import {
  Adapter,
  type BroadcastOptions,
  type RestoredSession,
  type Room,
  type Session,
  type SocketId,
} from "@omnio/server";
import type { Redis } from "ioredis";
import { RedisAdapter, type RedisAdapterContext } from "./redis-adapter.js";
import { SessionStore, type StoredSession } from "./session-store.js";
import { compareStreamIds, isStreamId } from "./stream-ids.js";
import { decodeBroadcast, encodeBroadcast } from "./wire.js";

type AdapterNamespace = ConstructorParameters<typeof Adapter>[0];
type SocketPacket = Parameters<Adapter["broadcast"]>[0];

/** Socket.IO EVENT packet type: the only kind stored for recovery. */
const EVENT = 2;
/** Entries fetched per XRANGE while replaying. */
const RANGE_BATCH = 1000;

interface Entry {
  id: string;
  nsp: string;
  msg: Buffer;
}

export class StreamsRedisAdapter extends RedisAdapter {
  readonly #store: SessionStore;
  #reader: Redis | undefined;
  /** Id of the last stream entry this node delivered (its place in the stream). */
  #position = "0-0";
  #ready!: Promise<void>;
  #stopped = false;
  readonly #dirty = new Set<SocketId>();
  #flushScheduled = false;
  readonly #persisted = new Set<SocketId>();
  #refreshTimer: ReturnType<typeof setInterval> | undefined;

  constructor(nsp: AdapterNamespace, ctx: RedisAdapterContext) {
    super(nsp, ctx);
    this.#store = new SessionStore(ctx.pub, ctx.opts.sessionKeyPrefix, this.uid);
  }

  override init(): void {
    super.init();
    this.#reader = this.pub.duplicate();
    this.#reader.on("error", (err: unknown) => this.reportError("Redis stream reader error", err));
    this.#ready = this.#start();
    this.#refreshTimer = setInterval(() => this.#refreshAll(), this.opts.sessionRefreshInterval);
    this.#refreshTimer.unref?.();
  }

  override close(): void {
    this.#stopped = true;
    clearInterval(this.#refreshTimer);
    this.#reader?.disconnect();
    super.close();
  }

  /** Sessions outlive the last refresh of a dead node by this much. */
  get #liveTtl(): number {
    return this.opts.maxDisconnectionDuration + 2 * this.opts.sessionRefreshInterval;
  }

  async #start(): Promise<void> {
    try {
      const last = (await this.pub.xrevrange(this.opts.streamName, "+", "-", "COUNT", 1)) as [string, string[]][];
      this.#position = last[0]?.[0] ?? "0-0";
    } catch (err) {
      this.reportError("XREVRANGE", err);
    }
    void this.#readLoop();
  }

  async #readLoop(): Promise<void> {
    const reader = this.#reader!;
    const { streamName, readCount, blockTimeMs } = this.opts;
    while (!this.#stopped) {
      let reply: unknown;
      try {
        reply = await reader.callBuffer(
          "XREAD",
          "COUNT",
          readCount,
          "BLOCK",
          blockTimeMs,
          "STREAMS",
          streamName,
          this.#position,
        );
      } catch (err) {
        if (this.#stopped) return;
        this.reportError("XREAD", err);
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      for (const entry of parseStreamReply(reply)) {
        this.hub.inbound.messages++;
        this.hub.inbound.bytes += entry.msg.length;
        this.#position = entry.id;
        if (entry.nsp === this.nsp.name) this.#deliverEntry(entry);
      }
    }
  }

  /**
   * Whether the server has connection state recovery on: only then does a broadcast carry its
   * offset as last argument (as socket.io does). Read from the namespace's server at run time:
   * the adapter contract does not carry server options.
   */
  get #recoveryEnabled(): boolean {
    const server = (this.nsp as { server?: { opts?: { connectionStateRecovery?: unknown } } }).server;
    return !!server?.opts?.connectionStateRecovery;
  }

  #deliverEntry(entry: Entry): void {
    const decoded = decodeBroadcast(entry.msg);
    if (!decoded) return;
    const { packet, opts } = decoded;
    if (Array.isArray(packet.data) && this.#recoveryEnabled) packet.data.push(entry.id);
    this.deliverLocally({ ...packet, nsp: this.nsp.name } as SocketPacket, {
      rooms: new Set(opts.rooms),
      except: new Set(opts.except),
      flags: opts.flags ?? {},
    });
  }

  override broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    packet.nsp = this.nsp.name;
    const recoverable =
      packet.type === EVENT &&
      packet.id === undefined &&
      !opts.flags?.volatile &&
      !opts.flags?.local &&
      Array.isArray(packet.data);
    if (!recoverable) {
      super.broadcast(packet, opts);
      return;
    }
    if (this.pub.status !== "ready") {
      // Redis unreachable: local sockets get it now (without a recovery offset) rather than
      // after the outage; queueing the XADD would deliver it a second time through the reader.
      this.deliverLocally(packet, opts);
      return;
    }
    const wire = { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags };
    const msg = encodeBroadcast(this.uid, packet, wire);
    const { streamName, maxLen } = this.opts;
    this.pub
      .xadd(streamName, "MAXLEN", "~", String(maxLen), "*", "nsp", this.nsp.name, "msg", msg)
      .catch((err: unknown) => {
        // Redis unreachable: local sockets still get it (without a recovery offset).
        this.reportError("XADD", err);
        this.deliverLocally(packet, opts);
      });
  }

  // --- sessions -------------------------------------------------------------------------

  #sessionOf(id: SocketId): StoredSession | undefined {
    const socket = this.nsp.sockets.get(id) as { pid?: unknown; rooms: Set<Room>; data: unknown } | undefined;
    if (!socket || typeof socket.pid !== "string") return undefined;
    return { sid: id, pid: socket.pid, rooms: [...(this.sids.get(id) ?? [])], data: socket.data };
  }

  #markDirty(id: SocketId): void {
    this.#dirty.add(id);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      const sessions: StoredSession[] = [];
      for (const sid of this.#dirty) {
        const s = this.#sessionOf(sid);
        if (s) sessions.push(s);
      }
      this.#dirty.clear();
      this.#store.saveMany(sessions, this.#liveTtl).catch((err: unknown) => this.reportError("session write", err));
    });
  }

  #refreshAll(): void {
    const sessions: StoredSession[] = [];
    for (const id of this.nsp.sockets.keys()) {
      const s = this.#sessionOf(id);
      if (s) sessions.push(s);
    }
    this.#store.saveMany(sessions, this.#liveTtl).catch((err: unknown) => this.reportError("session refresh", err));
  }

  override addAll(id: SocketId, rooms: Set<Room>): void {
    void super.addAll(id, rooms);
    this.#markDirty(id);
  }

  override del(id: SocketId, room: Room): void {
    void super.del(id, room);
    this.#markDirty(id);
  }

  override delAll(id: SocketId): void {
    const session = this.#sessionOf(id);
    super.delAll(id);
    this.#dirty.delete(id);
    if (this.#persisted.delete(id) || !session) return;
    // Left for good (not a recoverable disconnection): forget the session.
    this.#store.remove(session.pid).catch((err: unknown) => this.reportError("session delete", err));
  }

  override persistSession(session: Session): void {
    this.#persisted.add(session.sid);
    const stored = { sid: session.sid, pid: session.pid, rooms: session.rooms, data: session.data };
    this.#store
      .persist(stored, this.opts.maxDisconnectionDuration)
      .catch((err: unknown) => this.reportError("session write", err));
  }

  override async restoreSession(pid: string, offset: string): Promise<RestoredSession | null> {
    if (!isStreamId(offset) || pid.length === 0 || pid.length > 200) return null;
    await this.#ready;
    const session = await this.#store.get(pid);
    if (!session) return null;
    const { streamName } = this.opts;
    const found = (await this.pub.xrange(streamName, offset, offset)) as unknown[];
    if (found.length === 0) return null; // offset trimmed away: too old to recover
    // The client may know entries this node's reader has not reached yet: wait for it, or the
    // reader would deliver them a second time.
    const deadline = Date.now() + this.opts.requestsTimeout;
    while (compareStreamIds(this.#position, offset) < 0) {
      if (Date.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, 5));
    }
    const entries: Entry[] = [];
    let from = offset;
    // Read up to (at least) this node's reader position; the reader delivers what follows.
    for (;;) {
      const batch = parseEntries(
        await this.pub.callBuffer("XRANGE", streamName, "(" + from, "+", "COUNT", RANGE_BATCH),
      );
      entries.push(...batch);
      if (batch.length > 0) from = batch[batch.length - 1]!.id;
      if (batch.length < RANGE_BATCH && compareStreamIds(from, this.#position) >= 0) break;
      if (batch.length === 0) {
        if (Date.now() > deadline) return null; // entries trimmed under our feet
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const position = this.#position;
    const rooms = new Set<Room>(session.rooms);
    const missedPackets: unknown[][] = [];
    for (const entry of entries) {
      if (compareStreamIds(entry.id, position) > 0) break;
      if (entry.nsp !== this.nsp.name) continue;
      const decoded = decodeBroadcast(entry.msg);
      if (!decoded || !Array.isArray(decoded.packet.data)) continue;
      const { opts } = decoded;
      const included = opts.rooms.length === 0 || opts.rooms.some((r) => rooms.has(r));
      const excluded = opts.except.some((r) => rooms.has(r));
      if (included && !excluded) missedPackets.push([...(decoded.packet.data as unknown[]), entry.id]);
    }
    return { sid: session.sid, pid: session.pid, rooms: session.rooms, data: session.data, missedPackets };
  }
}

/**
 * `XREAD` reply → entries. RESP2: `[[stream, entries]...]`; RESP3 (a map, as raw `callBuffer`
 * returns it on a RESP3 connection): `[stream, entries, stream, entries...]`.
 */
function parseStreamReply(reply: unknown): Entry[] {
  if (!Array.isArray(reply)) return [];
  const out: Entry[] = [];
  if (reply.length > 0 && !Array.isArray(reply[0])) {
    for (let i = 1; i < reply.length; i += 2) out.push(...parseEntries(reply[i]));
    return out;
  }
  for (const stream of reply) {
    if (Array.isArray(stream) && Array.isArray(stream[1])) out.push(...parseEntries(stream[1]));
  }
  return out;
}

/** `XRANGE` reply (`[[id, [field, value...]]...]`) → entries with their `nsp` and `msg` fields. */
function parseEntries(reply: unknown): Entry[] {
  if (!Array.isArray(reply)) return [];
  const out: Entry[] = [];
  for (const item of reply) {
    if (!Array.isArray(item) || !Array.isArray(item[1])) continue;
    const fields = item[1] as unknown[];
    let nsp: string | undefined;
    let msg: Buffer | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = String(fields[i]);
      if (name === "nsp") nsp = String(fields[i + 1]);
      else if (name === "msg")
        msg = Buffer.isBuffer(fields[i + 1]) ? (fields[i + 1] as Buffer) : Buffer.from(String(fields[i + 1]));
    }
    if (nsp !== undefined && msg) out.push({ id: String(item[0]), nsp, msg });
  }
  return out;
}

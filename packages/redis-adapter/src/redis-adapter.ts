/**
 * The Redis adapter of one namespace, on the wire format of `@socket.io/redis-adapter`
 * (see wire.ts): broadcasts through pub/sub, cluster requests (fetchSockets, socketsJoin,
 * socketsLeave, disconnectSockets, serverSideEmit, broadcast acks) on the request channel.
 * With `routing` on, the node subscribes only to the channels of rooms it hosts.
 */
import { Adapter, RemoteSocket, type BroadcastOptions, type Room, type SocketId } from "@omnio/server";
import type { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import { redisError, RedisAdapterError } from "./errors.js";
import type { ResolvedRedisAdapterOptions } from "./options.js";
import { newId, RequestCollector } from "./request-collector.js";
import type { SubscriptionHub } from "./subscriptions.js";
import {
  channelsFor,
  decodeBroadcast,
  decodeRequest,
  encodeBroadcast,
  encodeRequestBinary,
  encodeRequestJson,
  isWirePacket,
  RequestType,
  roomChannel,
  roomOfChannel,
  toSets,
  type Channels,
  type WireRequest,
} from "./wire.js";

type AdapterNamespace = ConstructorParameters<typeof Adapter>[0];
type SocketPacket = Parameters<Adapter["broadcast"]>[0];
type SocketDetails = ConstructorParameters<typeof RemoteSocket>[1];

/** What the adapter needs from `createAdapter()`: the clients and the shared subscriber. */
export interface RedisAdapterContext {
  pub: Redis;
  hub: SubscriptionHub;
  opts: ResolvedRedisAdapterOptions;
}

export class RedisAdapter extends Adapter {
  /** This node's id on the wire (random, per namespace adapter). */
  readonly uid = randomBytes(6).toString("base64url");
  readonly channels: Channels;
  protected readonly pub: Redis;
  protected readonly hub: SubscriptionHub;
  protected readonly opts: ResolvedRedisAdapterOptions;
  readonly #requests = new RequestCollector();
  #errorReported = false;
  #closed = false;

  readonly #onBroadcastMessage = (channel: string, message: Buffer): void =>
    this.#guard(() => this.onBroadcastMessage(channel, message));
  readonly #onRequestMessage = (_channel: string, message: Buffer): void => this.#guard(() => this.#onRequest(message));
  readonly #onResponseMessage = (_channel: string, message: Buffer): void =>
    this.#guard(() => this.#onResponse(message));
  readonly #watcher = {
    onError: (err: unknown): void => this.reportError("Redis connection error", err),
    onReady: (): void => {
      this.#errorReported = false;
    },
  };
  readonly #onCreateRoom = (room: Room): void =>
    this.hub.subscribe(roomChannel(this.channels, room), this.#onBroadcastMessage);
  readonly #onDeleteRoom = (room: Room): void => this.hub.unsubscribe(roomChannel(this.channels, room));

  constructor(nsp: AdapterNamespace, ctx: RedisAdapterContext) {
    super(nsp);
    this.pub = ctx.pub;
    this.hub = ctx.hub;
    this.opts = ctx.opts;
    this.channels = channelsFor(ctx.opts.key, nsp.name, this.uid);
  }

  /**
   * Pub/sub messages (and their payload bytes) this node's subscriber connection received, for
   * every namespace sharing it; the streams mode adds the stream entries its reader read.
   */
  get inbound(): { messages: number; bytes: number } {
    return { ...this.hub.inbound };
  }

  override init(): void {
    const { hub, channels } = this;
    hub.subscribe(channels.request, this.#onRequestMessage);
    hub.subscribe(channels.response, this.#onResponseMessage);
    hub.subscribe(channels.ownResponse, this.#onResponseMessage);
    if (this.opts.routing) {
      hub.subscribe(channels.broadcast, this.#onBroadcastMessage);
      for (const room of this.rooms.keys()) this.#onCreateRoom(room);
      this.on("create-room", this.#onCreateRoom);
      this.on("delete-room", this.#onDeleteRoom);
    } else {
      hub.psubscribe(channels.broadcast + "*", this.#onBroadcastMessage);
    }
    hub.watch(this.#watcher);
  }

  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const { hub, channels } = this;
    hub.unsubscribe(channels.request);
    hub.unsubscribe(channels.response);
    hub.unsubscribe(channels.ownResponse);
    if (this.opts.routing) {
      this.off("create-room", this.#onCreateRoom);
      this.off("delete-room", this.#onDeleteRoom);
      hub.unsubscribe(channels.broadcast);
      for (const room of this.rooms.keys()) this.#onDeleteRoom(room);
    } else {
      hub.punsubscribe(channels.broadcast + "*");
    }
    hub.releaseIfIdle();
    this.#requests.closeAll();
    hub.unwatch(this.#watcher);
  }

  /**
   * Reports a Redis failure as an `error` event on the adapter (once per outage: again only
   * after the clients were ready again). Without a listener it is logged once instead.
   */
  protected reportError(what: string, err: unknown): void {
    if (this.#errorReported || this.#closed) return;
    this.#errorReported = true;
    const error = err instanceof RedisAdapterError ? err : redisError(what, err);
    if (this.listenerCount("error") > 0) this.emitReserved("error", error);
    else console.warn(`[@omnio/redis-adapter] ${error.message} (add an "error" listener on the adapter to handle it)`);
  }

  /**
   * Runs a message handler: a message that still breaks something after decoding is dropped and
   * reported as a MALFORMED_MESSAGE `error` event (only to listeners: foreign traffic must not
   * flood the logs).
   */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch (cause) {
      if (this.listenerCount("error") === 0) return;
      const detail = cause instanceof Error ? cause.message : String(cause);
      this.emitReserved(
        "error",
        new RedisAdapterError("MALFORMED_MESSAGE", `ignored a message: ${detail}`, undefined, undefined, undefined, {
          cause,
        }),
      );
    }
  }

  /** Publishes, reporting (never throwing) a failure. */
  protected publish(channel: string, message: string | Buffer): void {
    this.pub.publish(channel, message).catch((err: unknown) => this.reportError(`PUBLISH ${channel}`, err));
  }

  /** Number of nodes serving this namespace (subscribers of the request channel), as the official adapter counts. */
  override async serverCount(): Promise<number> {
    const reply = await this.pub.pubsub("NUMSUB", this.channels.request);
    return Number(reply[1] ?? 0);
  }

  /** Local delivery of a broadcast (the in-memory adapter's). */
  protected deliverLocally(packet: SocketPacket, opts: BroadcastOptions): void {
    super.broadcast(packet, opts);
  }

  /** Whether a broadcast only targets sockets of this node (one local socket's private room). */
  protected onlyLocalTargets(opts: BroadcastOptions): boolean {
    if (opts.flags?.local) return true;
    if (opts.rooms.size !== 1 || (opts.except && opts.except.size > 0)) return false;
    const [room] = opts.rooms;
    return this.nsp.sockets.has(room as SocketId);
  }

  protected publishBroadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    const wire = {
      rooms: [...opts.rooms],
      except: [...(opts.except ?? [])],
      flags: opts.flags,
    };
    const message = encodeBroadcast(this.uid, packet, wire);
    const channel = opts.rooms.size === 1 ? roomChannel(this.channels, [...opts.rooms][0]!) : this.channels.broadcast;
    this.publish(channel, message);
  }

  override broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    packet.nsp = this.nsp.name;
    if (!this.onlyLocalTargets(opts)) this.publishBroadcast(packet, opts);
    this.deliverLocally(packet, opts);
  }

  /** A broadcast published by another node or an emitter. */
  protected onBroadcastMessage(channel: string, message: Buffer): void {
    const room = roomOfChannel(this.channels, channel);
    if (room === undefined) return;
    if (room !== "" && !this.#hasRoom(room)) return;
    const decoded = decodeBroadcast(message);
    if (!decoded || decoded.uid === this.uid) return;
    const { packet, opts } = decoded;
    if ((packet.nsp ?? "/") !== this.nsp.name) return;
    this.onRemoteBroadcast({ ...packet, nsp: this.nsp.name } as SocketPacket, {
      rooms: new Set(opts.rooms),
      except: new Set(opts.except),
      flags: opts.flags ?? {},
    });
  }

  /** Delivers a remote broadcast (streams mode adds its recovery offset here). */
  protected onRemoteBroadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    this.deliverLocally(packet, opts);
  }

  #hasRoom(room: string): boolean {
    if (this.rooms.has(room)) return true;
    const n = Number(room);
    return room.trim() !== "" && Number.isFinite(n) && this.rooms.has(n);
  }

  override broadcastWithAck(
    packet: SocketPacket,
    opts: BroadcastOptions,
    clientCount: (count: number) => void,
    ack: (...args: unknown[]) => void,
  ): void {
    packet.nsp = this.nsp.name;
    if (opts.flags?.local) {
      super.broadcastWithAck(packet, opts, clientCount, ack);
      return;
    }
    const requestId = newId();
    let local = -1;
    let remote = 0;
    let answers = 0;
    let expectedAnswers = -1;
    let told = false;
    const check = (): void => {
      if (told || local < 0 || expectedAnswers < 0 || answers < expectedAnswers) return;
      told = true;
      clientCount(local + remote);
    };
    const { timeout: _t, ...flags } = opts.flags ?? {};
    this.#requests.listen(requestId, opts.flags?.timeout ?? this.opts.requestsTimeout, (res) => {
      if (res.type === RequestType.BROADCAST_CLIENT_COUNT) {
        remote += Number(res["clientCount"]) || 0;
        answers++;
        check();
      } else if (res.type === RequestType.BROADCAST_ACK) {
        ack(res["packet"]);
      }
    });
    const request: WireRequest = {
      uid: this.uid,
      requestId,
      type: RequestType.BROADCAST,
      packet: { ...packet },
      opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags },
    };
    this.publish(this.channels.request, encodeRequestBinary(request));
    super.broadcastWithAck(
      packet,
      opts,
      (n) => {
        local = n;
        check();
      },
      ack,
    );
    this.serverCount().then(
      (n) => {
        expectedAnswers = Math.max(0, n - 1);
        check();
      },
      (err: unknown) => this.reportError("PUBSUB NUMSUB", err),
    );
  }

  override async fetchSockets(opts: BroadcastOptions): Promise<unknown[]> {
    const local = await super.fetchSockets(opts);
    if (opts.flags?.local) return local;
    const expected = (await this.serverCount()) - 1;
    if (expected <= 0) return local;
    const requestId = newId();
    const remote: SocketDetails[] = [];
    const done = this.#requests.collect(
      "fetchSockets",
      requestId,
      expected,
      opts.flags?.timeout ?? this.opts.requestsTimeout,
      (res) => {
        if (Array.isArray(res["sockets"])) remote.push(...(res["sockets"] as SocketDetails[]));
      },
      () => remote,
    );
    this.publish(
      this.channels.request,
      encodeRequestJson({
        uid: this.uid,
        requestId,
        type: RequestType.REMOTE_FETCH,
        opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])] },
      }),
    );
    try {
      return [...local, ...(await done)];
    } catch (err) {
      if (err instanceof RedisAdapterError && err.code === "CLUSTER_REQUEST_TIMEOUT") {
        const partial = [...local, ...remote.map((d) => new RemoteSocket(this, d))];
        throw new RedisAdapterError(err.code, err.message, partial, err.expected, err.received);
      }
      throw err;
    }
  }

  #publishOperation(type: RequestType, opts: BroadcastOptions, extra: Record<string, unknown>): void {
    const request = {
      uid: this.uid,
      type,
      opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])] },
      ...extra,
    };
    this.publish(this.channels.request, encodeRequestJson(request));
  }

  override addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    super.addSockets(opts, rooms);
    if (!opts.flags?.local) this.#publishOperation(RequestType.REMOTE_JOIN, opts, { rooms });
  }

  override delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    super.delSockets(opts, rooms);
    if (!opts.flags?.local) this.#publishOperation(RequestType.REMOTE_LEAVE, opts, { rooms });
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    super.disconnectSockets(opts, close);
    if (!opts.flags?.local) this.#publishOperation(RequestType.REMOTE_DISCONNECT, opts, { close });
  }

  override serverSideEmit(packet: unknown[]): void {
    if (typeof packet[packet.length - 1] !== "function") {
      this.publish(
        this.channels.request,
        encodeRequestJson({ uid: this.uid, type: RequestType.SERVER_SIDE_EMIT, data: packet }),
      );
      return;
    }
    const ack = packet.pop() as (err: Error | null, responses: unknown[]) => void;
    void this.#serverSideEmitWithAck(packet).then(
      (responses) => ack(null, responses),
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        ack(e, err instanceof RedisAdapterError && Array.isArray(err.partial) ? (err.partial as unknown[]) : []);
      },
    );
  }

  async #serverSideEmitWithAck(data: unknown[]): Promise<unknown[]> {
    const expected = (await this.serverCount()) - 1;
    if (expected <= 0) return [];
    const requestId = newId();
    const responses: unknown[] = [];
    const done = this.#requests.collect(
      "serverSideEmit",
      requestId,
      expected,
      this.opts.requestsTimeout,
      (res) => responses.push(res["data"]),
      () => responses,
    );
    this.publish(
      this.channels.request,
      encodeRequestJson({ uid: this.uid, requestId, type: RequestType.SERVER_SIDE_EMIT, data }),
    );
    return done;
  }

  #respond(request: WireRequest, response: string | Buffer): void {
    const to = typeof request.uid === "string" ? `${this.channels.response}${request.uid}#` : this.channels.response;
    this.publish(to, response);
  }

  #onResponse(message: Buffer): void {
    const response = decodeRequest(message);
    if (response) this.#requests.dispatch(response);
  }

  /** A request from another node or an emitter. */
  #onRequest(message: Buffer): void {
    const req = decodeRequest(message);
    if (!req || req.uid === this.uid) return;
    const opts = toSets((req["opts"] as object | undefined) ?? {});
    switch (req.type) {
      case RequestType.SOCKETS: {
        void super
          .sockets(new Set(Array.isArray(req["rooms"]) ? (req["rooms"] as Room[]) : []))
          .then((ids) => this.#respond(req, encodeRequestJson({ requestId: req.requestId, sockets: [...ids] })));
        return;
      }
      case RequestType.ALL_ROOMS:
        this.#respond(req, encodeRequestJson({ requestId: req.requestId, rooms: [...this.rooms.keys()] }));
        return;
      case RequestType.REMOTE_JOIN:
        if (req["opts"]) super.addSockets(opts, asRooms(req["rooms"]));
        else this.#onSingleSocketOp(req, (s) => s.join(req["room"] as Room));
        return;
      case RequestType.REMOTE_LEAVE:
        if (req["opts"]) super.delSockets(opts, asRooms(req["rooms"]));
        else this.#onSingleSocketOp(req, (s) => s.leave(req["room"] as Room));
        return;
      case RequestType.REMOTE_DISCONNECT:
        if (req["opts"]) super.disconnectSockets(opts, req["close"] === true);
        else this.#onSingleSocketOp(req, (s) => s.disconnect(req["close"] === true));
        return;
      case RequestType.REMOTE_FETCH:
        void super
          .fetchSockets(opts)
          .then((sockets) =>
            this.#respond(
              req,
              encodeRequestJson({ requestId: req.requestId, uid: this.uid, sockets: sockets.map(toDetails) }),
            ),
          );
        return;
      case RequestType.SERVER_SIDE_EMIT:
        this.#onServerSideEmit(req);
        return;
      case RequestType.BROADCAST:
        this.#onBroadcastWithAck(req, opts);
        return;
      default:
    }
  }

  #onSingleSocketOp(req: WireRequest, op: (socket: LocalSocket) => void): void {
    const socket = this.nsp.sockets.get(String(req["sid"]));
    if (!socket) return;
    op(socket);
    this.#respond(req, encodeRequestJson({ requestId: req.requestId }));
  }

  #onServerSideEmit(req: WireRequest): void {
    const data = Array.isArray(req["data"]) ? [...(req["data"] as unknown[])] : undefined;
    if (!data) return;
    if (req.requestId === undefined) {
      this.nsp.onServerSideEmit(data);
      return;
    }
    let called = false;
    data.push((arg: unknown) => {
      if (called) return;
      called = true;
      this.#respond(
        req,
        encodeRequestJson({ type: RequestType.SERVER_SIDE_EMIT, requestId: req.requestId, uid: this.uid, data: arg }),
      );
    });
    this.nsp.onServerSideEmit(data);
  }

  #onBroadcastWithAck(req: WireRequest, sets: { rooms: Set<Room>; except: Set<Room> }): void {
    const packet = req["packet"];
    if (!isWirePacket(packet)) return;
    const flags = ((req["opts"] as { flags?: object } | undefined)?.flags ?? {}) as BroadcastOptions["flags"];
    super.broadcastWithAck(
      { ...packet, nsp: this.nsp.name } as SocketPacket,
      { ...sets, flags: flags ?? {} },
      (clientCount) =>
        this.#respond(
          req,
          encodeRequestJson({
            type: RequestType.BROADCAST_CLIENT_COUNT,
            requestId: req.requestId,
            uid: this.uid,
            clientCount,
          }),
        ),
      (arg: unknown) =>
        this.#respond(
          req,
          encodeRequestBinary({ type: RequestType.BROADCAST_ACK, requestId: req.requestId, packet: arg }),
        ),
    );
  }
}

type LocalSocket = NonNullable<ReturnType<AdapterNamespace["sockets"]["get"]>>;

function asRooms(value: unknown): Room[] {
  return Array.isArray(value) ? (value as Room[]) : [];
}

/** A local socket as plain data (the handshake's non-serializable fields left out). */
function toDetails(value: unknown): SocketDetails {
  const s = value as LocalSocket;
  const { sessionStore: _s, ...handshake } = (s.handshake ?? {}) as Record<string, unknown>;
  return { id: s.id, handshake, rooms: [...s.rooms], data: s.data };
}

/**
 * The node:cluster adapter: the in-memory adapter of one worker, plus messages relayed by
 * the primary so that broadcasts, room operations, `fetchSockets`, broadcast acks and
 * `serverSideEmit` reach the sockets and listeners of every worker.
 */
import { Adapter, type BroadcastOptions, type Room, type SocketId } from "@omnio/server";
import type { AdapterNamespace } from "@omnio/server/core";
import type { AdapterBody, WireOptions } from "./messages.js";
import { PendingRequests } from "./pending-requests.js";

type Packet = Parameters<Adapter["broadcast"]>[0];

/** What the adapter needs from its worker (see `ClusterWorker`). */
export interface AdapterLink {
  readonly nodeId: string;
  /** The other workers, by node id. */
  others(): string[];
  /** Sends a message to one worker (`to`) or to every other worker. */
  publish(nsp: string, body: AdapterBody, to?: string): void;
  register(nsp: string, adapter: NodeClusterAdapter): void;
  unregister(nsp: string, adapter: NodeClusterAdapter): void;
  /** How long to wait for the other workers' answers, in ms. */
  readonly requestTimeout: number;
}

function toWire(opts: BroadcastOptions): WireOptions {
  return { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags ?? {} };
}

function fromWire(opts: WireOptions): BroadcastOptions {
  return { rooms: new Set(opts.rooms), except: new Set(opts.except), flags: opts.flags };
}

/** Error of a cluster request that not every worker answered in time (socket.io's wording). */
export class ClusterTimeoutError extends Error {
  readonly code = "CLUSTER_TIMEOUT";
  constructor(
    message: string,
    /** The answers that did arrive. */
    readonly partial: unknown[],
  ) {
    super(message);
    this.name = "ClusterTimeoutError";
  }
}

export class NodeClusterAdapter extends Adapter {
  readonly #link: AdapterLink;
  readonly #requests = new PendingRequests();
  /** Broadcast-ack callbacks by request id, kept until the broadcast's timeout. */
  readonly #acks = new Map<number, (...args: unknown[]) => void>();

  constructor(nsp: AdapterNamespace, link: AdapterLink) {
    super(nsp);
    this.#link = link;
    link.register(nsp.name, this);
  }

  override close(): void {
    this.#link.unregister(this.nsp.name, this);
    this.#requests.closeAll();
    this.#acks.clear();
  }

  override serverCount(): Promise<number> {
    return Promise.resolve(1 + this.#link.others().length);
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    super.broadcast(packet, opts);
    if (!opts.flags?.local) this.#publish({ type: "broadcast", packet, opts: toWire(opts) });
  }

  override broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCount: (count: number) => void,
    ack: (...args: unknown[]) => void,
  ): void {
    if (opts.flags?.local) return super.broadcastWithAck(packet, opts, clientCount, ack);
    let total = 0;
    // Remote workers number the packet with their own ack ids; the copy sent keeps no id.
    const wirePacket = { ...packet, id: undefined };
    const timeout = opts.flags?.timeout ?? this.#link.requestTimeout;
    const requestId = this.#requests.open(
      this.#link.others(),
      timeout,
      (_from, body) => (total += (body as { count: number }).count),
      () => clientCount(total),
    );
    this.#acks.set(requestId, ack);
    setTimeout(() => this.#acks.delete(requestId), timeout + 1000).unref?.();
    super.broadcastWithAck(packet, opts, (n) => (total += n), ack);
    this.#publish({ type: "broadcast-ack", packet: wirePacket, opts: toWire(opts), requestId });
  }

  override addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    super.addSockets(opts, rooms);
    if (!opts.flags?.local) this.#publish({ type: "join", opts: toWire(opts), rooms: [...rooms] });
  }

  override delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    super.delSockets(opts, rooms);
    if (!opts.flags?.local) this.#publish({ type: "leave", opts: toWire(opts), rooms: [...rooms] });
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    super.disconnectSockets(opts, close);
    if (!opts.flags?.local) this.#publish({ type: "disconnect", opts: toWire(opts), close });
  }

  override async fetchSockets(opts: BroadcastOptions): Promise<unknown[]> {
    const local = await super.fetchSockets(opts);
    if (opts.flags?.local) return local;
    const remote: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const requestId = this.#requests.open(
        this.#link.others(),
        opts.flags?.timeout ?? this.#link.requestTimeout,
        (_from, body) => remote.push(...(body as unknown[])),
        (timedOut) =>
          timedOut
            ? reject(new ClusterTimeoutError("timeout reached while waiting for fetchSockets response", remote))
            : resolve(),
      );
      this.#publish({ type: "fetch", opts: toWire(opts), requestId });
    });
    return [...local, ...remote];
  }

  override async sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const ids = await super.sockets(rooms);
    await new Promise<void>((resolve, reject) => {
      const requestId = this.#requests.open(
        this.#link.others(),
        this.#link.requestTimeout,
        (_from, body) => (body as string[]).forEach((id) => ids.add(id)),
        (timedOut) =>
          timedOut
            ? reject(new ClusterTimeoutError("timeout reached while waiting for sockets response", [...ids]))
            : resolve(),
      );
      this.#publish({ type: "sockets", rooms: [...rooms], requestId });
    });
    return ids;
  }

  override serverSideEmit(packet: unknown[]): void {
    const last = packet[packet.length - 1];
    if (typeof last !== "function") {
      this.#publish({ type: "server-side-emit", args: packet });
      return;
    }
    const ack = last as (err: Error | null, responses: unknown[]) => void;
    const args = packet.slice(0, -1);
    const responses: unknown[] = [];
    const expected = this.#link.others().length;
    const requestId = this.#requests.open(
      this.#link.others(),
      this.#link.requestTimeout,
      (_from, body) => responses.push(body),
      (timedOut) =>
        ack(
          timedOut
            ? new ClusterTimeoutError(
                `timeout reached: only ${responses.length} responses received out of ${expected}`,
                responses,
              )
            : null,
          responses,
        ),
    );
    this.#publish({ type: "server-side-emit", args, requestId });
  }

  /** A message from worker `from` (called by the worker's channel). */
  onMessage(from: string, body: AdapterBody): void {
    switch (body.type) {
      case "broadcast":
        return super.broadcast(body.packet as Packet, fromWire(body.opts));
      case "broadcast-ack": {
        const { requestId } = body;
        return super.broadcastWithAck(
          body.packet as Packet,
          fromWire(body.opts),
          (count) => this.#reply(from, { type: "client-count", requestId, count }),
          (...args) => this.#reply(from, { type: "ack", requestId, args }),
        );
      }
      case "client-count":
        return this.#requests.respond(body.requestId, from, body);
      case "ack":
        this.#acks.get(body.requestId)?.(...body.args);
        return;
      case "join":
        return super.addSockets(fromWire(body.opts), body.rooms);
      case "leave":
        return super.delSockets(fromWire(body.opts), body.rooms);
      case "disconnect":
        return super.disconnectSockets(fromWire(body.opts), body.close);
      case "fetch":
        void super.fetchSockets(fromWire(body.opts)).then((sockets) =>
          this.#reply(from, {
            type: "fetch-response",
            requestId: body.requestId,
            sockets: sockets.map((s) => {
              const socket = s as { id: SocketId; handshake: unknown; rooms: Set<Room>; data: unknown };
              return { id: socket.id, handshake: socket.handshake, rooms: [...socket.rooms], data: socket.data };
            }),
          }),
        );
        return;
      case "fetch-response":
        return this.#requests.respond(body.requestId, from, body.sockets);
      case "sockets":
        void super
          .sockets(new Set(body.rooms))
          .then((ids) => this.#reply(from, { type: "sockets-response", requestId: body.requestId, ids: [...ids] }));
        return;
      case "sockets-response":
        return this.#requests.respond(body.requestId, from, body.ids);
      case "server-side-emit": {
        const { requestId } = body;
        if (requestId === undefined) return this.nsp.onServerSideEmit(body.args);
        let answered = false;
        // socket.io keeps the first argument of each server's answer.
        const callback = (arg: unknown): void => {
          if (answered) return;
          answered = true;
          this.#reply(from, { type: "server-side-emit-response", requestId, arg });
        };
        return this.nsp.onServerSideEmit([...body.args, callback]);
      }
      case "server-side-emit-response":
        return this.#requests.respond(body.requestId, from, body.arg);
    }
  }

  /** A worker left the cluster: requests stop waiting for it. */
  onWorkerGone(nodeId: string): void {
    this.#requests.forget(nodeId);
  }

  #publish(body: AdapterBody): void {
    this.#send(body, undefined);
  }

  #reply(to: string, body: AdapterBody): void {
    this.#send(body, to);
  }

  #send(body: AdapterBody, to: string | undefined): void {
    try {
      this.#link.publish(this.nsp.name, body, to);
    } catch (cause) {
      // E.g. socket data that cannot be cloned (a function): reported, never thrown at the emitter.
      this.emitReserved("error", new Error("node:cluster adapter: could not send a message", { cause }));
    }
  }
}

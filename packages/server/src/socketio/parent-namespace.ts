/**
 * A dynamic namespace group created by `io.of(regex | fn)`: matching names become child
 * namespaces that inherit its middlewares and connection listeners; emits fan out to all
 * children.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- socket data and listener arguments are arbitrary by design */
import { Adapter } from "../adapter/in-memory-adapter.js";
import type { BroadcastOptions } from "../adapter/types.js";
import type { SocketPacket } from "@omnio/protocol";
import { Namespace } from "./namespace.js";
import type { DefaultEventsMap, EventsMap } from "./typed-events.js";

/** Broadcasts of a parent namespace go to each child's adapter. */
class ParentBroadcastAdapter extends Adapter {
  constructor(private readonly parent: ParentNamespace<any, any, any, any>) {
    super(parent as any);
  }
  override broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    for (const child of this.parent.children)
      child.adapter.broadcast({ ...packet, data: cloneData(packet.data) }, opts);
  }
  override fetchSockets(): Promise<unknown[]> {
    return Promise.reject(new Error("fetchSockets() is not supported on parent namespaces"));
  }
}

function cloneData(data: unknown): unknown {
  return Array.isArray(data) ? data.slice() : data;
}

export class ParentNamespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any,
> extends Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  readonly children = new Set<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();

  override _initAdapter(): void {
    this.adapter = new ParentBroadcastAdapter(this);
  }

  /** Creates the child namespace `name`. */
  createChild(name: string): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    const child = new Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this.server, name);
    child._fns = this._fns.slice();
    for (const l of this.listeners("connect")) child.on("connect", l);
    for (const l of this.listeners("connection")) child.on("connection", l);
    this.children.add(child);
    this.server._registerChild(child as any, this as any);
    return child;
  }
}

/**
 * The typed emitter behind Server, Namespace and Socket: listeners are typed by
 * `ListenEvents` plus the library's reserved events; `emit` (sending to clients) is typed
 * by `EmitEvents` and implemented by each subclass. Reserved events are raised with
 * `emitReserved` and never travel on the wire.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- listener parameter lists are arbitrary by design */
import { Emitter } from "@omnio/protocol";
import type {
  EventNames,
  EventParams,
  EventsMap,
  ReservedOrUserEventNames,
  ReservedOrUserListener,
  TypedEventBroadcaster,
} from "./typed-events.js";

type Untyped = (...args: any[]) => void;

export abstract class StrictEventEmitter<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ReservedEvents extends EventsMap = {}, // eslint-disable-line @typescript-eslint/no-empty-object-type -- "no reserved events"
> implements TypedEventBroadcaster<EmitEvents> {
  readonly #listeners = new Emitter();

  on<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    this.#listeners.on(ev, listener as Untyped);
    return this;
  }
  addListener<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    return this.on(ev, listener);
  }
  once<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    this.#listeners.once(ev, listener as Untyped);
    return this;
  }
  prependListener<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    this.#listeners.prependListener(ev, listener as Untyped);
    return this;
  }
  prependOnceListener<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    this.#listeners.prependOnceListener(ev, listener as Untyped);
    return this;
  }
  off<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev?: Ev,
    listener?: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    this.#listeners.off(ev, listener as Untyped | undefined);
    return this;
  }
  removeListener<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    return this.off(ev, listener);
  }
  removeAllListeners<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(ev?: Ev): this {
    this.#listeners.off(ev);
    return this;
  }
  listeners<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
  ): ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>[] {
    return this.#listeners.listeners(ev) as ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>[];
  }
  listenerCount(ev: string): number {
    return this.#listeners.listenerCount(ev);
  }
  eventNames(): string[] {
    return this.#listeners.eventNames();
  }
  setMaxListeners(_n: number): this {
    return this;
  }
  getMaxListeners(): number {
    return Infinity;
  }

  /** Sends an event to the client(s); each subclass decides where it goes. */
  abstract emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean;

  /** Raises a library event (connection, disconnect, …) on local listeners. */
  protected emitReserved<Ev extends EventNames<ReservedEvents>>(
    ev: Ev,
    ...args: EventParams<ReservedEvents, Ev>
  ): boolean {
    return this.#listeners.emit(ev, ...args);
  }

  /** Raises a user event (received from a client or another server) on local listeners. */
  protected emitUntyped(ev: string, ...args: unknown[]): boolean {
    return this.#listeners.emit(ev, ...args);
  }
}

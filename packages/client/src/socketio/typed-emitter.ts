/**
 * The listener side of a client Socket: listeners are typed by the user's `ListenEvents` plus
 * the reserved events (`connect`, `connect_error`, `disconnect`), while `emit` (sending to the
 * server) is typed by `EmitEvents` and implemented by the Socket. At run time this is the
 * protocol's `Emitter` itself (no wrapper, no extra bytes in the browser bundle); only its
 * listener types are re-declared here. `Emitter.emit` calls `emitReserved`, never `this.emit`,
 * so the Socket's `emit` override (which sends) cannot be reached by a local event.
 */
import { Emitter, type EventNames, type EventParams, type EventsMap } from "@omnio/protocol";

/** Reserved names first, then the user's (a reserved name is never a user event). */
export type ListenNames<R extends EventsMap, L extends EventsMap> = EventNames<R> | EventNames<L>;
/** The listener type of `Ev`: the reserved signature when reserved, else the user's. */
export type ListenerOf<R extends EventsMap, L extends EventsMap, Ev> =
  Ev extends EventNames<R> ? R[Ev] : Ev extends EventNames<L> ? L[Ev] : never;

/** The listener API of {@link TypedEmitter}. */
export declare abstract class TypedEmitterApi<L extends EventsMap, R extends EventsMap> {
  on<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this;
  addListener<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this;
  once<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this;
  prependListener<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this;
  prependOnceListener<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this;
  off<Ev extends ListenNames<R, L>>(ev?: Ev, listener?: ListenerOf<R, L, Ev>): this;
  removeListener<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this;
  removeAllListeners<Ev extends ListenNames<R, L>>(ev?: Ev): this;
  listeners<Ev extends ListenNames<R, L>>(ev: Ev): ListenerOf<R, L, Ev>[];
  listenerCount<Ev extends ListenNames<R, L>>(ev: Ev): number;
  hasListeners<Ev extends ListenNames<R, L>>(ev: Ev): boolean;
  /** Calls the listeners of a reserved event. */
  protected emitReserved<Ev extends EventNames<R>>(ev: Ev, ...args: EventParams<R, Ev>): boolean;
}

/** The protocol `Emitter`, typed for listening to `L` plus the reserved events `R`. */
export const TypedEmitter = Emitter as unknown as abstract new <
  L extends EventsMap,
  R extends EventsMap,
>() => TypedEmitterApi<L, R>;

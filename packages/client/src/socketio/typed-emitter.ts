/**
 * The listener side of a client Socket: listeners are typed by the user's `ListenEvents` plus
 * the reserved events (`connect`, `connect_error`, `disconnect`), while `emit` (sending to the
 * server) is typed by `EmitEvents` and implemented by the Socket. Composition over
 * `Emitter`, because the Socket's `emit` sends instead of calling local listeners.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- listener parameter lists are arbitrary by design */
import { Emitter, type EventNames, type EventParams, type EventsMap } from "@omnio/protocol";

type Untyped = (...args: any[]) => void;

/** Reserved names first, then the user's (a reserved name is never a user event). */
export type ListenNames<R extends EventsMap, L extends EventsMap> = EventNames<R> | EventNames<L>;
/** The listener type of `Ev`: the reserved signature when reserved, else the user's. */
export type ListenerOf<R extends EventsMap, L extends EventsMap, Ev> =
  Ev extends EventNames<R> ? R[Ev] : Ev extends EventNames<L> ? L[Ev] : never;

export abstract class TypedEmitter<L extends EventsMap, R extends EventsMap> {
  readonly #listeners = new Emitter();

  on<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this {
    this.#listeners.on(ev, listener as Untyped);
    return this;
  }
  addListener<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this {
    return this.on(ev, listener);
  }
  once<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this {
    this.#listeners.once(ev, listener as Untyped);
    return this;
  }
  prependListener<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this {
    this.#listeners.prependListener(ev, listener as Untyped);
    return this;
  }
  off<Ev extends ListenNames<R, L>>(ev?: Ev, listener?: ListenerOf<R, L, Ev>): this {
    this.#listeners.off(ev, listener as Untyped | undefined);
    return this;
  }
  removeListener<Ev extends ListenNames<R, L>>(ev: Ev, listener: ListenerOf<R, L, Ev>): this {
    return this.off(ev, listener);
  }
  removeAllListeners<Ev extends ListenNames<R, L>>(ev?: Ev): this {
    return this.off(ev);
  }
  listeners<Ev extends ListenNames<R, L>>(ev: Ev): ListenerOf<R, L, Ev>[] {
    return this.#listeners.listeners(ev) as ListenerOf<R, L, Ev>[];
  }
  listenerCount<Ev extends ListenNames<R, L>>(ev: Ev): number {
    return this.#listeners.listenerCount(ev);
  }
  hasListeners<Ev extends ListenNames<R, L>>(ev: Ev): boolean {
    return this.#listeners.hasListeners(ev);
  }

  /** Calls the listeners of a reserved event. */
  protected emitReserved<Ev extends EventNames<R>>(ev: Ev, ...args: EventParams<R, Ev>): void {
    this.#listeners.emit(ev, ...args);
  }
  /** Calls the listeners of a user event received from the server. */
  protected emitUntyped(ev: string, args: readonly unknown[]): void {
    this.#listeners.emit(ev, ...args);
  }
}

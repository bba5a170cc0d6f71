/**
 * A small typed event emitter with the method names of Node's `EventEmitter`, usable on
 * every runtime (no `node:events`). Listener errors propagate to the caller of `emit`, as
 * in Node.
 */

/**
 * A map from event name to listener signature. The values are `any`, as in socket.io's
 * `typed-events.ts`, so that an `interface` (which has no implicit index signature) can be
 * used as a map, not only a type literal.
 */
export type EventsMap = { [event: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- see above
/** The default, untyped event map. */
export type DefaultEventsMap = { [event: string]: (...args: any[]) => void }; // eslint-disable-line @typescript-eslint/no-explicit-any -- untyped events accept anything
export type EventNames<Map extends EventsMap> = keyof Map & string;
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

type Listener = (...args: unknown[]) => void;
interface Entry {
  fn: Listener;
  once: boolean;
}

/**
 * Typed emitter. `L` types what may be listened to (and thus emitted internally).
 *
 * @example
 * const e = new Emitter<{ tick: (n: number) => void }>();
 * e.on("tick", (n) => console.log(n));
 * e.emit("tick", 1);
 */
export class Emitter<L extends EventsMap = DefaultEventsMap> {
  // Created on first use: many emitters (idle sessions) never get a listener.
  #map: Map<string, Entry[]> | undefined;
  get #events(): Map<string, Entry[]> {
    return (this.#map ??= new Map());
  }

  on<Ev extends EventNames<L>>(event: Ev, listener: L[Ev]): this {
    return this.#add(event, listener, false, false);
  }
  addListener<Ev extends EventNames<L>>(event: Ev, listener: L[Ev]): this {
    return this.#add(event, listener, false, false);
  }
  once<Ev extends EventNames<L>>(event: Ev, listener: L[Ev]): this {
    return this.#add(event, listener, true, false);
  }
  prependListener<Ev extends EventNames<L>>(event: Ev, listener: L[Ev]): this {
    return this.#add(event, listener, false, true);
  }
  prependOnceListener<Ev extends EventNames<L>>(event: Ev, listener: L[Ev]): this {
    return this.#add(event, listener, true, true);
  }

  off<Ev extends EventNames<L>>(event?: Ev, listener?: L[Ev]): this {
    if (event === undefined) {
      this.#events.clear();
      return this;
    }
    const list = this.#map?.get(event);
    if (!list) return this;
    if (listener === undefined) {
      this.#events.delete(event);
      return this;
    }
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]!.fn === listener) {
        list.splice(i, 1);
        break;
      }
    }
    if (list.length === 0) this.#events.delete(event);
    return this;
  }
  removeListener<Ev extends EventNames<L>>(event: Ev, listener: L[Ev]): this {
    return this.off(event, listener);
  }
  removeAllListeners<Ev extends EventNames<L>>(event?: Ev): this {
    return this.off(event);
  }

  /** Calls the listeners of `event` in order; returns whether there were any. */
  emit<Ev extends EventNames<L>>(event: Ev, ...args: EventParams<L, Ev>): boolean {
    return this.emitReserved(event, ...args);
  }

  /** Emits an event bypassing any override of `emit` (used for library-owned events). */
  protected emitReserved<Ev extends EventNames<L>>(event: Ev, ...args: EventParams<L, Ev>): boolean {
    const list = this.#map?.get(event);
    if (!list) return false;
    if (list.length === 1) {
      const entry = list[0]!;
      if (entry.once) this.#events.delete(event);
      entry.fn.apply(this, args);
      return true;
    }
    const copy = list.slice();
    for (const entry of copy) {
      // Remove this very entry: `off(fn)` would take the latest registration of `fn`, which
      // is the wrong one when the same function is also registered with `on`.
      if (entry.once) this.#remove(event, entry);
      entry.fn.apply(this, args);
    }
    return true;
  }

  #remove(event: string, entry: Entry): void {
    const list = this.#map?.get(event);
    const i = list === undefined ? -1 : list.indexOf(entry);
    if (list === undefined || i === -1) return;
    list.splice(i, 1);
    if (list.length === 0) this.#events.delete(event);
  }

  listeners<Ev extends EventNames<L>>(event: Ev): L[Ev][] {
    return (this.#events.get(event) ?? []).map((e) => e.fn as L[Ev]);
  }
  rawListeners<Ev extends EventNames<L>>(event: Ev): L[Ev][] {
    return this.listeners(event);
  }
  listenerCount<Ev extends EventNames<L>>(event: Ev): number {
    return this.#events.get(event)?.length ?? 0;
  }
  hasListeners<Ev extends EventNames<L>>(event: Ev): boolean {
    return this.listenerCount(event) > 0;
  }
  eventNames(): string[] {
    return [...this.#events.keys()];
  }
  /** Accepted for compatibility with Node's EventEmitter; there is no listener limit. */
  setMaxListeners(_n: number): this {
    return this;
  }
  getMaxListeners(): number {
    return Infinity;
  }

  #add(event: string, fn: Listener, once: boolean, prepend: boolean): this {
    let list = this.#events.get(event);
    if (!list) this.#events.set(event, (list = []));
    if (prepend) list.unshift({ fn, once });
    else list.push({ fn, once });
    return this;
  }
}

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

  // The aliases are the very same functions, set on the prototype below (as Node's `off` is
  // `removeListener`).
  /** The same function as {@link Emitter.on}. */
  declare addListener: <Ev extends EventNames<L>>(event: Ev, listener: L[Ev]) => this;
  /** The same function as {@link Emitter.off}. */
  declare removeListener: <Ev extends EventNames<L>>(event: Ev, listener: L[Ev]) => this;
  /** The same function as {@link Emitter.listeners}. */
  declare rawListeners: <Ev extends EventNames<L>>(event: Ev) => L[Ev][];

  on<Ev extends EventNames<L>>(event: Ev, listener: L[Ev]): this {
    return this.#add(event, listener, false);
  }
  once<Ev extends EventNames<L>>(event: Ev, listener: L[Ev]): this {
    return this.#add(event, listener, true);
  }
  prependListener<Ev extends EventNames<L>>(event: Ev, listener: L[Ev]): this {
    return this.#add(event, listener, false, true);
  }
  prependOnceListener<Ev extends EventNames<L>>(event: Ev, listener: L[Ev]): this {
    return this.#add(event, listener, true, true);
  }

  /** Removes the latest registration of `listener`, every listener of `event`, or everything. */
  off<Ev extends EventNames<L>>(event?: Ev, listener?: L[Ev]): this {
    const map = this.#map;
    if (event === undefined) map?.clear();
    else if (listener === undefined) map?.delete(event);
    else {
      const list = map?.get(event) ?? [];
      for (let i = list.length; i--;) {
        if (list[i]!.fn === listener) {
          this.#remove(event, list[i]!);
          break;
        }
      }
    }
    return this;
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
    // A copy: listeners added or removed by a listener take effect at the next emit.
    for (const entry of list.slice()) {
      // Remove this very entry: `off(fn)` would take the latest registration of `fn`, which
      // is the wrong one when the same function is also registered with `on`.
      if (entry.once) this.#remove(event, entry);
      entry.fn.apply(this, args);
    }
    return true;
  }

  #remove(event: string, entry: Entry): void {
    const list = this.#map?.get(event);
    const i = list ? list.indexOf(entry) : -1;
    if (i < 0) return;
    if (list!.length === 1) this.#map!.delete(event);
    else list!.splice(i, 1);
  }

  listeners<Ev extends EventNames<L>>(event: Ev): L[Ev][] {
    return (this.#map?.get(event) ?? []).map((e) => e.fn as L[Ev]);
  }
  listenerCount<Ev extends EventNames<L>>(event: Ev): number {
    return this.#map?.get(event)?.length ?? 0;
  }
  hasListeners<Ev extends EventNames<L>>(event: Ev): boolean {
    return this.listenerCount(event) > 0;
  }
  eventNames(): string[] {
    return [...(this.#map?.keys() ?? [])];
  }
  /** Accepted for compatibility with Node's EventEmitter; there is no listener limit. */
  setMaxListeners(_n: number): this {
    return this;
  }
  getMaxListeners(): number {
    return Infinity;
  }

  #add(event: string, fn: Listener, once: boolean, prepend?: boolean): this {
    const map = (this.#map ??= new Map());
    const list = map.get(event);
    const entry = { fn, once };
    if (!list) map.set(event, [entry]);
    else if (prepend) list.unshift(entry);
    else list.push(entry);
    return this;
  }
}

const proto = Emitter.prototype;
proto.addListener = proto.on;
proto.removeListener = proto.off;
proto.rawListeners = proto.listeners;

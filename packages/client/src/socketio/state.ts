/**
 * The observable connection state of a client socket. Kept apart from the socket's event
 * listeners on purpose: a `"state"` event would collide with a user event of that name sent
 * by the server (reserved events are kept apart from user events).
 */

/**
 * - `disconnected`: not trying (before `connect()`, after `disconnect()`, a server disconnect,
 *   a refused CONNECT, or `reconnect_failed`).
 * - `connecting`: the first connection attempt since `connect()` is under way.
 * - `connected`: the namespace accepted the socket.
 * - `reconnecting`: the connection was lost or an attempt failed; the Manager retries.
 */
export type SocketState = "disconnected" | "connecting" | "connected" | "reconnecting";

/** Called after each change, with the new and the previous state. */
export type StateListener<S extends string = SocketState> = (state: S, previous: S) => void;

/** A value with change listeners (no microtasks: listeners run synchronously on change). */
export class StateCell<S extends string> {
  #value: S;
  #listeners: StateListener<S>[] = [];

  constructor(initial: S) {
    this.#value = initial;
  }
  get value(): S {
    return this.#value;
  }
  /** Sets the value; listeners run only when it changes. */
  set(next: S): void {
    const previous = this.#value;
    if (next === previous) return;
    this.#value = next;
    for (const listener of this.#listeners.slice()) listener(next, previous);
  }
  /** Adds a listener; the returned function removes it. */
  subscribe(listener: StateListener<S>): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }
}

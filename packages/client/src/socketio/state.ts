/**
 * The observable connection state of a client socket (`socket.state`, `socket.onStateChange`).
 * Kept apart from the socket's event listeners on purpose: a `"state"` event would collide with
 * a user event of that name sent by the server (reserved events are kept apart from user events).
 */

/**
 * - `disconnected`: not trying (before `connect()`, after `disconnect()`, a server disconnect,
 *   a refused CONNECT, or `reconnect_failed`).
 * - `connecting`: the first connection attempt since `connect()` is under way.
 * - `connected`: the namespace accepted the socket.
 * - `reconnecting`: the connection was lost or an attempt failed; the Manager retries.
 */
export type SocketState = "disconnected" | "connecting" | "connected" | "reconnecting";

/** Called after each change, with the new and the previous state (synchronously, no microtasks). */
export type StateListener<S extends string = SocketState> = (state: S, previous: S) => void;

/**
 * Alipay's legacy single global socket (miniprogram-platforms §1.3): without `multiple: true`,
 * or on clients without SocketTask, `my.connectSocket` returns nothing and the connection is
 * driven by `my.onSocketOpen`/`onSocketMessage`/`onSocketError`/`onSocketClose`,
 * `my.sendSocketMessage` and `my.closeSocket`. This presents that connection as a task so the
 * shared adapter handles it; the global listeners are removed (`my.offSocket…`) when it ends.
 * There is one such socket per app: the platform's `maxSockets` is 1 on this path.
 */
import type { HostFailure, HostSocketTask, SocketClosePayload, SocketMessagePayload } from "../miniprogram/host-api.js";

type Listener<T> = (result?: T) => void;

/** The legacy members of `my` this shim uses. */
export interface AlipayLegacySocketApi {
  onSocketOpen(listener: Listener<unknown>): unknown;
  onSocketMessage(listener: Listener<SocketMessagePayload>): unknown;
  onSocketError(listener: Listener<HostFailure>): unknown;
  onSocketClose(listener: Listener<SocketClosePayload>): unknown;
  offSocketOpen?(listener?: Listener<unknown>): unknown;
  offSocketMessage?(listener?: Listener<SocketMessagePayload>): unknown;
  offSocketError?(listener?: Listener<HostFailure>): unknown;
  offSocketClose?(listener?: Listener<SocketClosePayload>): unknown;
  sendSocketMessage(option: {
    data: string | ArrayBuffer;
    isBuffer?: boolean;
    success?(r: unknown): void;
    fail?(r: HostFailure): void;
  }): unknown;
  closeSocket(option?: { success?(r: unknown): void; fail?(r: HostFailure): void }): unknown;
}

/** True when `api` has the legacy global socket functions. */
export function hasLegacySocket(api: unknown): api is AlipayLegacySocketApi {
  const a = api as Partial<AlipayLegacySocketApi> | undefined;
  return typeof a?.onSocketOpen === "function" && typeof a.sendSocketMessage === "function";
}

/** A task over the global socket, plus `detach()` for when a newer connection replaces it. */
export interface LegacySocketTask extends HostSocketTask {
  /** Removes the global listeners and reports the socket closed (1006) to its `onClose` listener. */
  detach(): void;
}

/** A task-shaped view of the global socket that `my.connectSocket` just started. */
export function legacySocketTask(my: AlipayLegacySocketApi): LegacySocketTask {
  const registered: (() => void)[] = [];
  let closeListener: Listener<SocketClosePayload> | undefined;
  const on = <T>(
    add: (l: Listener<T>) => unknown,
    remove: ((l?: Listener<T>) => unknown) | undefined,
    listener: Listener<T>,
  ): void => {
    add.call(my, listener);
    if (remove !== undefined) registered.push(() => void remove.call(my, listener));
  };
  const removeAll = (): void => {
    for (const off of registered.splice(0)) off();
  };
  return {
    send: (option) => my.sendSocketMessage(option),
    close: (option) => my.closeSocket({ success: option.success, fail: option.fail }),
    onOpen: (listener) => on(my.onSocketOpen, my.offSocketOpen, listener),
    onMessage: (listener) => on(my.onSocketMessage, my.offSocketMessage, listener),
    onError: (listener) => on(my.onSocketError, my.offSocketError, listener),
    onClose: (listener) => {
      closeListener = listener;
      on<SocketClosePayload>(my.onSocketClose, my.offSocketClose, (payload) => {
        removeAll();
        listener(payload);
      });
    },
    detach: () => {
      // The host closes the previous global socket when a new one connects.
      removeAll();
      closeListener?.({ reason: "replaced by a newer connection" });
    },
  };
}

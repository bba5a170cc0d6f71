/**
 * Lifecycle signals from a host's app and network events (miniprogram-platforms §4.2–§4.3):
 * `onAppShow`/`onAppHide` → visibility, `onNetworkStatusChange` → online/offline. The host
 * listeners are registered once per platform instance, when the core first subscribes, fan out to
 * every subscriber, and are removed (where the host has `off…`) when the last one leaves.
 * Repeated identical signals are dropped (tt fires duplicates).
 */
import type { PlatformLifecycle, Unsubscribe } from "../../platform/contract.js";
import type { MiniProgramApi, NetworkStatus } from "./host-api.js";

type Listener = (value: boolean) => void;

/**
 * One boolean signal. `connect(emit)` registers the host listeners that call `emit` and returns
 * how to remove them (or `undefined` when the host cannot remove them: they then stay, silent).
 */
class Signal {
  readonly #listeners = new Set<Listener>();
  readonly #connect: (emit: Listener) => (() => void) | undefined;
  #disconnect: (() => void) | undefined;
  #connected = false;
  #last: boolean | undefined;

  constructor(connect: (emit: Listener) => (() => void) | undefined) {
    this.#connect = connect;
  }

  subscribe(listener: Listener): Unsubscribe {
    this.#listeners.add(listener);
    if (!this.#connected) {
      this.#connected = true;
      this.#disconnect = this.#connect((value) => this.#emit(value));
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size > 0 || this.#disconnect === undefined) return;
      this.#disconnect();
      this.#disconnect = undefined;
      this.#connected = false;
      this.#last = undefined;
    };
  }

  #emit(value: boolean): void {
    if (value === this.#last) return;
    this.#last = value;
    for (const listener of [...this.#listeners]) listener(value);
  }
}

type HostEvent<T> = (listener: (result: T) => void) => unknown;

/** Registers `listener` with `on`; returns its removal through `off`, when the host has it. */
function listen<T>(
  host: MiniProgramApi,
  on: HostEvent<T>,
  off: HostEvent<T> | undefined,
  listener: (result: T) => void,
): (() => void) | undefined {
  on.call(host, listener);
  return off === undefined ? undefined : () => void off.call(host, listener);
}

/** The lifecycle of `host`, or `undefined` when it has none of the events. */
export function hostLifecycle(host: MiniProgramApi): PlatformLifecycle | undefined {
  const lifecycle: PlatformLifecycle = {};
  const onNet = host.onNetworkStatusChange;
  if (typeof onNet === "function") {
    const network = new Signal((emit) =>
      listen<NetworkStatus>(host, onNet, host.offNetworkStatusChange, (status) => {
        if (typeof status?.isConnected === "boolean") emit(status.isConnected);
      }),
    );
    lifecycle.onNetworkChange = (listener) => network.subscribe(listener);
  }
  const onShow = host.onAppShow;
  const onHide = host.onAppHide;
  if (typeof onShow === "function" && typeof onHide === "function") {
    const visibility = new Signal((emit) => {
      const offShow = listen<unknown>(host, onShow, host.offAppShow, () => emit(true));
      const offHide = listen<unknown>(host, onHide, host.offAppHide, () => emit(false));
      return offShow === undefined || offHide === undefined
        ? undefined
        : () => {
            offShow();
            offHide();
          };
    });
    lifecycle.onVisibilityChange = (listener) => visibility.subscribe(listener);
  }
  return lifecycle.onNetworkChange === undefined && lifecycle.onVisibilityChange === undefined ? undefined : lifecycle;
}

/**
 * React Native's `AppState` and `@react-native-community/netinfo`'s `NetInfo`, driven by the
 * test. `AppState.addEventListener("change", fn)` returns `{ remove() }` (RN ≥ 0.65);
 * `NetInfo.addEventListener(fn)` returns an unsubscribe function and reports the current state
 * once, asynchronously, on subscription (as NetInfo does). Listeners are called asynchronously,
 * as the native events arrive over the bridge.
 */
export type AppStateStatus = "active" | "background" | "inactive";

export class SimAppState {
  currentState: AppStateStatus = "active";
  readonly #listeners = new Set<(state: string) => void>();

  addEventListener(type: "change", listener: (state: string) => void): { remove(): void } {
    if (type !== "change") throw new Error(`AppState: unsupported event "${String(type)}"`);
    this.#listeners.add(listener);
    return { remove: () => this.#listeners.delete(listener) };
  }

  /** Live listeners (a platform must remove what it added). */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  set(state: AppStateStatus): void {
    this.currentState = state;
    setImmediate(() => {
      for (const listener of [...this.#listeners]) listener(state);
    });
  }
}

export interface NetInfoState {
  type: "wifi" | "cellular" | "none";
  isConnected: boolean;
  isInternetReachable: boolean;
}

export class SimNetInfo {
  #state: NetInfoState = { type: "wifi", isConnected: true, isInternetReachable: true };
  readonly #listeners = new Set<(state: NetInfoState) => void>();

  addEventListener(listener: (state: NetInfoState) => void): () => void {
    this.#listeners.add(listener);
    const current = this.#state;
    setImmediate(() => {
      if (this.#listeners.has(listener)) listener(current);
    });
    return () => this.#listeners.delete(listener);
  }

  fetch(): Promise<NetInfoState> {
    return Promise.resolve(this.#state);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  set(connected: boolean, type: NetInfoState["type"] = connected ? "wifi" : "none"): void {
    this.#state = { type, isConnected: connected, isInternetReachable: connected };
    const state = this.#state;
    setImmediate(() => {
      for (const listener of [...this.#listeners]) listener(state);
    });
  }
}

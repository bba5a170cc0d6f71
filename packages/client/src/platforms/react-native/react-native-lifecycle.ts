/**
 * Lifecycle signals on React Native, from objects the app passes in: a library cannot import
 * `react-native` or `@react-native-community/netinfo` without depending on them, so the
 * platform takes anything shaped like `AppState` and `NetInfo` (miniprogram-platforms §4.2).
 */
import type { PlatformLifecycle, Unsubscribe } from "../../platform/contract.js";

/** The part of React Native's `AppState` used here (`addEventListener` returns a subscription since RN 0.65). */
export interface AppStateLike {
  /** `"active" | "background" | "inactive" | "unknown" | "extension"`. */
  currentState?: string | null;
  addEventListener(type: "change", listener: (state: string) => void): { remove(): void } | void;
  /** RN < 0.65 removed listeners this way. */
  removeEventListener?(type: "change", listener: (state: string) => void): void;
}

/** The part of `@react-native-community/netinfo`'s default export used here. */
export interface NetInfoLike {
  addEventListener(listener: (state: { isConnected: boolean | null }) => void): () => void;
}

/**
 * `AppState` "active" → visible, "background" → hidden; "inactive" (an iOS transition such as
 * the app switcher) and unknown states change nothing. NetInfo's `isConnected` → online; `null`
 * (not yet known) changes nothing. NetInfo reports the current state on subscription: that
 * first report is taken as the baseline, not as a change. Repeated values are not reported.
 */
export function reactNativeLifecycle(
  appState: AppStateLike | undefined,
  netInfo: NetInfoLike | undefined,
): PlatformLifecycle | undefined {
  if (appState === undefined && netInfo === undefined) return undefined;
  const lifecycle: PlatformLifecycle = {};
  if (appState !== undefined) {
    lifecycle.onVisibilityChange = (listener) => {
      let last = visibility(appState.currentState);
      const onChange = (state: string): void => {
        const visible = visibility(state);
        if (visible === undefined || visible === last) return;
        last = visible;
        listener(visible);
      };
      const subscription = appState.addEventListener("change", onChange);
      return once(() => {
        if (subscription && typeof subscription.remove === "function") subscription.remove();
        else appState.removeEventListener?.("change", onChange);
      });
    };
  }
  if (netInfo !== undefined) {
    lifecycle.onNetworkChange = (listener) => {
      let last: boolean | undefined;
      let first = true;
      const unsubscribe = netInfo.addEventListener((state) => {
        const online = state.isConnected;
        if (typeof online !== "boolean") return;
        const changed = !first && online !== last;
        first = false;
        last = online;
        if (changed) listener(online);
      });
      return once(unsubscribe);
    };
  }
  return lifecycle;
}

function visibility(state: string | null | undefined): boolean | undefined {
  if (state === "active") return true;
  if (state === "background") return false;
  return undefined;
}

function once(fn: () => void): Unsubscribe {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

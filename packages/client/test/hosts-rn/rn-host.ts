/**
 * A simulated React Native host over real sockets: the globals an RN app has (`WebSocket`,
 * `XMLHttpRequest`, `FileReader`, timers; no `fetch`-only assumptions, no `document`, no
 * `location`), `AppState` and `NetInfo` objects, and the faults a phone sees:
 * - `goOffline()` / `goOnline()`: NetInfo reports it; live sockets hang (no close, nothing
 *   delivered either way) and new connections and requests fail until the network is back.
 * - `background({ kill })` / `foreground()`: AppState reports it; with `kill`, the OS tears
 *   down live sockets (error + close 1006) and refuses new connections while in the background.
 * - `blockWebSocket`: every WebSocket handshake fails (a proxy that strips upgrades).
 * - `binaryMode: "blob"`: binary arrives as RN `Blob`s whatever `binaryType` says; `fileReader:
 *   false` removes `FileReader` (RN < 0.73.1).
 */
import { createRNFileReader, RNBlob } from "./rn-blob.js";
import { RNNetwork } from "./rn-network.js";
import { SimAppState, SimNetInfo } from "./rn-app-state.js";
import { createRNWebSocketClass, type RNWebSocketInstance } from "./rn-websocket.js";
import { createRNXhrClass } from "./rn-xhr.js";

export interface RNHostOptions {
  binaryMode?: "arraybuffer" | "blob";
  fileReader?: boolean;
  /** Delay of each FileReader read; the default makes every other read slower (out-of-order completion). */
  readDelay?: () => number;
}

export interface RNHost {
  globals: {
    WebSocket: ReturnType<typeof createRNWebSocketClass>;
    XMLHttpRequest: ReturnType<typeof createRNXhrClass>;
    FileReader: ReturnType<typeof createRNFileReader> | undefined;
    Blob: typeof RNBlob;
    setTimeout: (callback: () => void, ms: number) => unknown;
    clearTimeout: (handle: unknown) => void;
    navigator: { product: "ReactNative" };
  };
  AppState: SimAppState;
  NetInfo: SimNetInfo;
  network: RNNetwork;
  sockets: RNWebSocketInstance[];
  requests: { method: string; url: string; headers: Record<string, string> }[];
  blockWebSocket: boolean;
  goOffline(): void;
  goOnline(): void;
  background(options?: { kill?: boolean }): void;
  foreground(): void;
}

export function createRNHost(options: RNHostOptions = {}): RNHost {
  const network = new RNNetwork();
  const sockets: RNWebSocketInstance[] = [];
  const requests: RNHost["requests"] = [];
  let flip = 0;
  const readDelay = options.readDelay ?? (() => (flip++ % 2 === 0 ? 25 : 1));
  const host: RNHost = {
    globals: {
      WebSocket: createRNWebSocketClass({
        network,
        binaryMode: options.binaryMode ?? "arraybuffer",
        blocked: () => host.blockWebSocket,
        created: sockets,
      }),
      XMLHttpRequest: createRNXhrClass({ network, started: requests }),
      FileReader: options.fileReader === false ? undefined : createRNFileReader(readDelay),
      Blob: RNBlob,
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      navigator: { product: "ReactNative" },
    },
    AppState: new SimAppState(),
    NetInfo: new SimNetInfo(),
    network,
    sockets,
    requests,
    blockWebSocket: false,
    goOffline() {
      network.online = false;
      for (const socket of network.sockets) socket.freeze();
      host.NetInfo.set(false);
    },
    goOnline() {
      network.online = true;
      host.NetInfo.set(true);
    },
    background({ kill = false } = {}) {
      host.AppState.set("background");
      if (!kill) return;
      network.suspended = true;
      for (const socket of [...network.sockets]) socket.kill("Software caused connection abort");
    },
    foreground() {
      network.suspended = false;
      host.AppState.set("active");
    },
  };
  return host;
}

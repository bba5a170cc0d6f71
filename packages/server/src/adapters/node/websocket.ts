/** A `ws` WebSocket wrapped as the engine's `WebSocketConnection`. */
import type { WebSocket } from "ws";
import type { WebSocketConnection, WebSocketHandlers } from "../../engine/contracts.js";

import type { Socket as NetSocket } from "node:net";
import { binaryFrame, textFrame } from "./frame.js";

function noop(): void {}

function frameHeaderSize(frame: Buffer): number {
  const len = frame[1]! & 0x7f;
  return len < 126 ? 2 : len === 126 ? 4 : 10;
}

// Module-level handlers (no per-connection closures): `this` is the ws, the wrapper hangs off it.
const WRAPPER = Symbol("omnio.connection");
type Tagged = WebSocket & { [WRAPPER]: NodeWebSocketConnection };
function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  (this as Tagged)[WRAPPER].handlers?.onMessage(isBinary ? data : data.toString());
}
function onClose(this: WebSocket, code: number, reason: Buffer): void {
  (this as Tagged)[WRAPPER].handlers?.onClose(code, reason.toString());
}
function onError(this: WebSocket, err: Error): void {
  (this as Tagged)[WRAPPER].handlers?.onError(err);
}

export class NodeWebSocketConnection implements WebSocketConnection {
  handlers: WebSocketHandlers | undefined;
  /**
   * The TCP socket, written directly with whole frames when permessage-deflate is off
   * (`ws` then never queues data frames, so ordering with its own control frames holds).
   */
  readonly #socket: NetSocket | undefined;
  constructor(
    readonly ws: WebSocket,
    direct: boolean,
  ) {
    this.#socket = direct ? (ws as unknown as { _socket?: NetSocket })._socket : undefined;
    (ws as Tagged)[WRAPPER] = this;
    ws.on("message", onMessage);
    ws.on("close", onClose);
    // Always keep an error listener (CVE-2022-21676: frame errors must never be unhandled).
    ws.on("error", onError);
  }
  setHandlers(handlers: WebSocketHandlers): void {
    this.handlers = handlers;
  }
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
  send(data: string | Uint8Array, compress: boolean, done?: (err?: Error | null) => void): void {
    if (this.ws.readyState !== 1) return;
    const socket = this.#socket;
    if (socket) socket.write(typeof data === "string" ? textFrame(data) : binaryFrame(data), done);
    else this.ws.send(data, { compress, binary: typeof data !== "string" }, done ?? noop);
  }
  /** Writes a frame built once by `prepareFrame` for every recipient of a broadcast. */
  sendPrepared(frame: unknown, done?: (err?: Error | null) => void): void {
    if (this.ws.readyState !== 1) return;
    const socket = this.#socket;
    if (socket) socket.write(frame as Buffer, done);
    else this.ws.send((frame as Buffer).subarray(frameHeaderSize(frame as Buffer)), done ?? noop);
  }
  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }
  terminate(): void {
    this.ws.terminate();
  }
}

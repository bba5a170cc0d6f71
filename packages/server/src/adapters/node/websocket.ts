/** A `ws` WebSocket wrapped as the engine's `WebSocketConnection`. */
import type { WebSocket } from "ws";
import type { WebSocketConnection, WebSocketHandlers } from "../../engine/contracts.js";

interface SenderInternals {
  sendFrame?(list: Buffer[], cb?: (err?: Error) => void): void;
}

function noop(): void {}

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
  constructor(readonly ws: WebSocket) {
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
  send(data: string | Uint8Array, compress: boolean, done?: (err?: Error) => void): void {
    if (this.ws.readyState !== 1) return;
    this.ws.send(data, { compress, binary: typeof data !== "string" }, done ?? noop);
  }
  sendPrepared(frame: unknown, done?: (err?: Error) => void): void {
    if (this.ws.readyState !== 1) return;
    const sender = (this.ws as unknown as { _sender?: SenderInternals })._sender;
    if (sender?.sendFrame) sender.sendFrame(frame as Buffer[], done);
    else this.ws.send(Buffer.concat(frame as Buffer[]).subarray(2), done ?? noop);
  }
  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }
  terminate(): void {
    this.ws.terminate();
  }
}

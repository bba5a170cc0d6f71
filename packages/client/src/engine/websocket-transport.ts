/**
 * WebSocket transport (Engine.IO v4 spec "WebSocket"): one packet per frame, text frames as
 * `<type><data>`, binary `message` packets as raw binary frames (as `b<base64>` text frames with
 * `forceBase64`).
 */
import { decodeEnginePacket, encodeEnginePacket, encodeEnginePacketText } from "@omnio/protocol";
import type { EngineErrorCode } from "../errors.js";
import { viewToArrayBuffer } from "../platform/binary.js";
import type { PlatformSocket } from "../platform/contract.js";
import { Transport, type OutgoingPacket } from "./transport.js";

/**
 * The WebSocket transport. It keeps no closed state of its own: the engine drops a transport
 * at its first `error` or `close` report (or closes it), and ignores every later report of it,
 * so a host that fires both `error` and `close` (miniprogram-platforms §1.10 rule 5) or late
 * callbacks after `close()` change nothing.
 */
export class WebSocketTransport extends Transport {
  #socket: PlatformSocket | undefined;
  /** Set once the socket opened, cleared when it closes. */
  writable = false;

  open(): void {
    const platform = this.opts.platform;
    try {
      this.#socket = platform.createSocket!(
        { url: this.buildUrl(), protocols: this.opts.protocols, headers: this.requestHeaders },
        {
          onOpen: () => {
            this.writable = true;
            // A WebSocket opened for an existing session is the upgrade probe (spec "Upgrade").
            if (this.session) this.send([{ type: "ping", data: "probe" }]);
          },
          onMessage: (data) => {
            let packet;
            try {
              packet = decodeEnginePacket(typeof data === "string" ? data : new Uint8Array(data));
            } catch (cause) {
              return this.#fail("PARSE_ERROR", undefined, cause);
            }
            this.report(this, "packet", packet);
          },
          onClose: (code, reason) => {
            this.#socket = undefined;
            this.writable = false;
            this.report(this, "close", `websocket closed (code ${code}${reason ? ", " + reason : ""})`);
          },
          onError: (error) => this.#fail("WEBSOCKET_ERROR", error),
        },
      );
    } catch (error) {
      // Report asynchronously: the engine is still inside `open()`.
      platform.setTimeout(() => this.#fail("WEBSOCKET_ERROR", error), 0);
    }
  }

  send(buffer: OutgoingPacket[]): void {
    for (const packet of buffer.splice(0)) {
      // `forceBase64`: binary as `b<base64>` text frames.
      const frame = this.opts.forceBase64 ? encodeEnginePacketText(packet) : encodeEnginePacket(packet);
      try {
        this.#socket?.send(typeof frame === "string" ? frame : viewToArrayBuffer(frame), packet.compress);
      } catch (error) {
        return this.#fail("WEBSOCKET_ERROR", error);
      }
    }
    this.report(this, "drain");
  }

  close(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.writable = false;
    try {
      socket?.close();
    } catch {
      // Closing is best effort; the connection is forgotten either way.
    }
  }

  #fail(code: EngineErrorCode, description: unknown, cause?: unknown): void {
    this.close();
    this.fail(code, description, cause);
  }
}

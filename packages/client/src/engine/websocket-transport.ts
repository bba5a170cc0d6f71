/**
 * WebSocket transport (Engine.IO v4 spec "WebSocket"): one packet per frame, text frames as
 * `<type><data>`, binary `message` packets as raw binary frames.
 */
import { decodeEnginePacket, encodeEnginePacket } from "@omnio/protocol";
import type { EngineErrorCode } from "../errors.js";
import { viewToArrayBuffer } from "../platform/binary.js";
import type { PlatformSocket } from "../platform/contract.js";
import { Transport, type OutgoingPacket } from "./transport.js";

/** The WebSocket transport. */
export class WebSocketTransport extends Transport {
  #socket: PlatformSocket | undefined;

  get writable(): boolean {
    return this.phase === "open";
  }

  open(): void {
    const platform = this.opts.platform;
    try {
      // Every callback re-checks the phase, so a host that fires both `error` and `close`
      // (miniprogram-platforms §1.10 rule 5) reports once.
      this.#socket = platform.createSocket!(
        { url: this.buildUrl(), protocols: this.opts.protocols, headers: this.requestHeaders },
        {
          onOpen: () => {
            if (this.phase !== "opening") return;
            this.phase = "open";
            // A WebSocket opened for an existing session is the upgrade probe (spec "Upgrade").
            if (this.session) this.send([{ type: "ping", data: "probe" }]);
          },
          onMessage: (data) => {
            if (this.phase !== "open") return;
            let packet;
            try {
              packet = decodeEnginePacket(typeof data === "string" ? data : new Uint8Array(data));
            } catch (cause) {
              return this.#fail("PARSE_ERROR", undefined, cause);
            }
            this.report(this, "packet", packet);
          },
          onClose: (code, reason) => {
            if (this.phase === "closed") return;
            this.phase = "closed";
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
      if (this.phase !== "open") return;
      const frame = encodeEnginePacket(packet);
      try {
        this.#socket?.send(typeof frame === "string" ? frame : viewToArrayBuffer(frame), packet.compress);
      } catch (error) {
        this.#fail("WEBSOCKET_ERROR", error);
      }
    }
    if (this.phase === "open") this.report(this, "drain");
  }

  close(): void {
    if (this.phase === "closed") return;
    this.phase = "closed";
    const socket = this.#socket;
    this.#socket = undefined;
    try {
      socket?.close();
    } catch {
      // Closing is best effort; the connection is forgotten either way.
    }
  }

  #fail(code: EngineErrorCode, description: unknown, cause?: unknown): void {
    if (this.phase === "closed") return;
    this.close();
    this.fail(code, description, cause);
  }
}

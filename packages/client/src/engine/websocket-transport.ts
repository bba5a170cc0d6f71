/**
 * WebSocket transport (Engine.IO v4 spec "WebSocket"): one packet per frame, text frames as
 * `<type><data>`, binary `message` packets as raw binary frames.
 */
import { decodeEnginePacket, encodeEnginePacket, type EnginePacket } from "@omnio/protocol";
import { EngineError } from "../errors.js";
import { viewToArrayBuffer } from "../platform/binary.js";
import type { PlatformSocket, SocketHandlers } from "../platform/contract.js";
import {
  transportUrl,
  type OutgoingPacket,
  type Transport,
  type TransportConfig,
  type TransportSink,
} from "./transport.js";

type State = "idle" | "opening" | "open" | "closed";

/** The WebSocket transport. */
export class WebSocketTransport implements Transport {
  readonly name = "websocket";
  readonly #config: TransportConfig;
  readonly #sink: TransportSink;
  #state: State = "idle";
  #socket: PlatformSocket | undefined;

  constructor(config: TransportConfig, sink: TransportSink) {
    this.#config = config;
    this.#sink = sink;
  }

  get writable(): boolean {
    return this.#state === "open";
  }

  open(): void {
    if (this.#state !== "idle") return;
    this.#state = "opening";
    const config = this.#config;
    const create = config.platform.createSocket;
    if (create === undefined) return this.#fail("This platform cannot open WebSockets.");
    const stamp = config.timestamp ? config.platform.now().toString(36) : undefined;
    // One handlers object per connection; every callback re-checks our state, so a host that
    // fires both `error` and `close` (miniprogram-platforms §1.10 rule 5) reports once.
    const handlers: SocketHandlers = {
      onOpen: () => {
        if (this.#state !== "opening") return;
        this.#state = "open";
        this.#sink.onOpen();
      },
      onMessage: (data) => this.#onMessage(data),
      onClose: (code, reason) => {
        if (this.#state === "closed") return;
        this.#state = "closed";
        this.#sink.onClose(`websocket closed (code ${code}${reason ? ", " + reason : ""})`);
      },
      onError: (error) => this.#fail(error),
    };
    try {
      this.#socket = create(
        { url: transportUrl(config, "ws", stamp), protocols: config.protocols, headers: config.headers },
        handlers,
      );
    } catch (error) {
      // Report asynchronously: the engine is still inside `open()`.
      config.platform.setTimeout(() => this.#fail(error), 0);
    }
  }

  setSid(sid: string): void {
    this.#config.query.sid = sid;
  }

  send(packets: OutgoingPacket[]): void {
    const socket = this.#socket;
    if (this.#state !== "open" || socket === undefined) return;
    for (const packet of packets) {
      const frame = encodeEnginePacket(packet);
      try {
        socket.send(typeof frame === "string" ? frame : viewToArrayBuffer(frame), packet.compress);
      } catch (error) {
        return this.#fail(error);
      }
      if (this.#state !== "open") return;
    }
    this.#sink.onDrain();
  }

  pause(onPaused: () => void): void {
    onPaused();
  }

  resume(): void {}

  close(_graceful: boolean): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    const socket = this.#socket;
    this.#socket = undefined;
    try {
      socket?.close();
    } catch {
      // Closing is best effort; the connection is forgotten either way.
    }
  }

  #onMessage(data: string | ArrayBuffer): void {
    if (this.#state !== "open") return;
    let packet: EnginePacket;
    try {
      packet = decodeEnginePacket(typeof data === "string" ? data : new Uint8Array(data));
    } catch (cause) {
      this.close(false);
      return this.#sink.onError(new EngineError("PARSE_ERROR", { transport: "websocket", cause }));
    }
    this.#sink.onPacket(packet);
  }

  #fail(description: unknown): void {
    if (this.#state === "closed") return;
    this.close(false);
    this.#sink.onError(new EngineError("WEBSOCKET_ERROR", { transport: "websocket", description }));
  }
}

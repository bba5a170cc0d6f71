/**
 * WebSocket transport: one Engine.IO packet per frame, binary as raw binary frames (v3:
 * with a leading type byte). The runtime's WebSocket enforces `maxPayload`; this class
 * bounds what a slow reader may make us buffer.
 */
import {
  decodeEnginePacket,
  decodeV3Packet,
  encodeEnginePacket,
  encodeEnginePacketText,
  encodeV3Packet,
  encodeV3PacketText,
  ProtocolError,
  type EnginePacket,
} from "@omnio/protocol";
import type { EngineRuntime, WebSocketConnection, WebSocketHandlers } from "./contracts.js";
import { Transport, type OutgoingPacket } from "./transport.js";

/**
 * Above this many buffered bytes the transport reports itself congested, so volatile
 * packets are dropped instead of queued (the official server drops them while a write is
 * in flight).
 */
const WRITABLE_WATERMARK = 64 * 1024;

export class WebSocketTransport extends Transport implements WebSocketHandlers {
  readonly name = "websocket" as const;
  #closed = false;

  constructor(
    readonly conn: WebSocketConnection,
    private readonly runtime: EngineRuntime,
    private readonly maxWriteBufferSize: number,
  ) {
    super();
    conn.setHandlers(this);
  }

  get writable(): boolean {
    return !this.#closed;
  }

  override get congested(): boolean {
    return this.conn.bufferedAmount >= WRITABLE_WATERMARK;
  }

  onMessage(data: string | Uint8Array): void {
    let packet: EnginePacket;
    try {
      packet =
        this.protocol === 3
          ? decodeV3Packet(data, this.runtime.fromBase64)
          : decodeEnginePacket(data, this.runtime.fromBase64);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.owner?.onTransportError("parse error");
      return;
    }
    this.owner?.onTransportPacket(packet);
  }

  send(packets: OutgoingPacket[]): void {
    if (this.#closed) return;
    const conn = this.conn;
    for (const p of packets) {
      if (p.prepared !== undefined && conn.sendPrepared) {
        conn.sendPrepared(p.prepared, p.callback && (() => p.callback!()));
        continue;
      }
      let frame: string | Uint8Array;
      if (this.base64 && typeof p.data === "object") {
        frame =
          this.protocol === 3
            ? encodeV3PacketText(p, this.runtime.toBase64)
            : encodeEnginePacketText(p, this.runtime.toBase64);
      } else frame = this.protocol === 3 ? encodeV3Packet(p) : encodeEnginePacket(p);
      conn.send(frame, p.compress !== false, p.callback && (() => p.callback!()));
    }
    if (conn.bufferedAmount > this.maxWriteBufferSize) this.#fail("write buffer full");
  }

  #fail(description: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.conn.terminate();
    this.owner?.onTransportError(description);
  }

  onError(err: Error): void {
    this.#fail("websocket error: " + err.message);
  }

  onClose(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.owner?.onTransportClose();
  }

  close(): void {
    if (this.#closed) return;
    this.conn.close();
    // `#onClose` runs when the closing handshake completes (or the runtime gives up).
  }

  discard(): void {
    this.#closed = true;
    this.conn.terminate();
  }
}

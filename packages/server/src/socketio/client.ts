/**
 * One Engine.IO connection as seen by Socket.IO: decodes frames, routes packets to the
 * namespace sockets multiplexed on it, enforces the protocol's connection rules (CONNECT
 * first, one socket per namespace, no packets for namespaces not joined) and the
 * `connectTimeout`.
 */
import { PacketType, ProtocolError, SocketDecoder, splitV4Namespace, type SocketPacket } from "@omnio/protocol";
import type { DeadlineItem, DeadlineQueue } from "../engine/deadline-queue.js";
import type { EngineCloseReason } from "../engine/errors.js";
import type { EngineConsumer, EngineSocket } from "../engine/socket.js";
import type { EncodedBroadcast } from "../adapter/types.js";
import { CustomDecoder } from "./custom-parser.js";
import type { DisconnectReason } from "./reasons.js";
import type { ServerCore } from "./server.js";
import type { Socket } from "./socket.js";

function toBytes(part: string | Uint8Array | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof part === "string" || part instanceof Uint8Array) return part;
  if (part instanceof ArrayBuffer) return new Uint8Array(part);
  return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
}

/** Options of one write to the engine. */
export interface WriteOptions {
  volatile?: boolean;
  compress?: boolean;
}

/** The client is its connection's consumer and its own connect-timeout deadline item. */
export class Client implements EngineConsumer, DeadlineItem {
  /** Sockets of this connection by namespace name (one per namespace). */
  readonly nsps = new Map<string, Socket>();
  dlPrev: DeadlineItem | undefined = undefined;
  dlNext: DeadlineItem | undefined = undefined;
  dlDeadline = 0;
  dlQueue: DeadlineQueue | undefined = undefined;
  /** The built-in decoder, or the `parser` option's decoder behind the same contract. */
  readonly #decoder: SocketDecoder | CustomDecoder;
  #closed = false;

  constructor(
    readonly server: ServerCore,
    /** The Engine.IO session (`socket.conn`). */
    readonly conn: EngineSocket,
  ) {
    const parser = server.opts.parser;
    this.#decoder = parser
      ? new CustomDecoder(parser, (result) => this.#onLateDecoded(result))
      : new SocketDecoder({ maxAttachments: server.opts.maxAttachments });
    conn.consumer = this;
    if (conn.protocol === 3) {
      // Socket.IO protocol v4 (2.x clients): the main namespace is joined implicitly.
      this.connect("/", {});
    } else server.connectTimeoutQueue.add(this);
  }

  /** `connectTimeout` passed: close a connection that joined no namespace. */
  onDeadline(): void {
    if (this.nsps.size === 0) this.close();
  }

  onEngineData(data: string | Uint8Array): void {
    this.#onData(data);
  }

  onEngineClose(reason: EngineCloseReason, description?: unknown): void {
    this.#onClose(reason, description);
  }

  /** The first HTTP request of the connection (Node: `IncomingMessage`). */
  get request(): unknown {
    return this.conn.request;
  }

  #onData(data: string | Uint8Array): void {
    let packet: SocketPacket | undefined;
    try {
      packet = this.#decoder.add(typeof data === "string" ? data : this.server.runtime.toAppBinary(data));
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.#onDecodeError(err);
      return;
    }
    if (packet) this.#onPacket(packet);
  }

  /** A packet (or failure) a custom decoder emitted outside `add()`. */
  #onLateDecoded(result: SocketPacket | ProtocolError): void {
    if (this.#closed || this.conn.readyState !== "open") return;
    if (result instanceof ProtocolError) this.#onDecodeError(result);
    else this.#onPacket(result);
  }

  #onDecodeError(err: ProtocolError): void {
    for (const socket of this.nsps.values()) socket._onError(err);
    this.conn.close();
  }

  #onPacket(packet: SocketPacket): void {
    const v3 = this.conn.protocol === 3;
    const nsp = v3 ? splitV4Namespace(packet.nsp).name : packet.nsp;
    if (packet.type === PacketType.CONNECT) {
      if (this.nsps.has(nsp)) {
        // A second CONNECT for a joined namespace breaks the protocol.
        this.close();
        return;
      }
      if (v3) {
        if (nsp === "/") return; // already joined implicitly
        const query = new URLSearchParams(splitV4Namespace(packet.nsp).query);
        const auth = Object.create(null) as Record<string, unknown>;
        for (const [k, v] of query) auth[k] = v;
        this.connect(nsp, auth);
      } else this.connect(nsp, packet.data ?? {});
      return;
    }
    const socket = this.nsps.get(nsp);
    if (socket && packet.type !== PacketType.CONNECT_ERROR) {
      packet.nsp = nsp;
      socket._onPacket(packet);
      return;
    }
    // A packet for a namespace the client has not joined, or a CONNECT_ERROR from a client.
    this.close();
  }

  /** Joins a namespace (after the namespace checks and middlewares). */
  connect(name: string, auth: unknown): void {
    const server = this.server;
    const existing = server._nsps.get(name);
    if (existing) {
      void existing._add(this, auth, (socket) => this.#onSocketConnected(socket));
      return;
    }
    server._checkNamespace(name, auth, (nsp) => {
      if (!nsp) {
        this.#sendConnectError(name, "Invalid namespace");
        return;
      }
      void nsp._add(this, auth, (socket) => this.#onSocketConnected(socket));
    });
  }

  #onSocketConnected(socket: Socket): void {
    this.dlQueue?.remove(this);
    this.nsps.set(socket.nsp.name, socket);
  }

  #sendConnectError(nsp: string, message: string): void {
    // socket.io sends `{message}` here even to v3 (2.x) clients; only middleware refusals
    // are plain strings for them (see Namespace._add).
    this.writePacket({ type: PacketType.CONNECT_ERROR, nsp, data: { message } });
  }

  /** Encodes and writes one packet. */
  writePacket(packet: SocketPacket, opts: WriteOptions = {}): void {
    if (this.conn.readyState !== "open") return;
    const parts = this.server.encoder(packet);
    this.writeEncoded({ parts, prepared: undefined }, !!opts.volatile, opts.compress !== false);
  }

  /** Writes frames that are already encoded (broadcasts encode once for all recipients). */
  writeEncoded(encoded: EncodedBroadcast, volatile: boolean, compress: boolean): void {
    const conn = this.conn;
    if (conn.readyState !== "open") return;
    if (volatile && !conn.writable) return;
    const parts = encoded.parts;
    const options = compress ? undefined : { compress: false };
    if (
      parts.length === 1 &&
      encoded.prepared !== undefined &&
      conn.transport.name === "websocket" &&
      !conn.transport.base64
    ) {
      conn.send(parts[0] as string, { compress, prepared: encoded.prepared });
      return;
    }
    for (const part of parts) conn.send(toBytes(part), options);
  }

  /** Forgets a socket that left its namespace. */
  _remove(socket: Socket): void {
    if (this.nsps.get(socket.nsp.name) === socket) {
      this.nsps.delete(socket.nsp.name);
    }
  }

  /** `socket.disconnect(true)`: leaves every namespace, then closes the connection. */
  _disconnectAll(): void {
    for (const socket of [...this.nsps.values()]) socket.disconnect();
    this.nsps.clear();
    this.close();
  }

  /** Closes the connection (`forced server close`). */
  close(): void {
    if (this.conn.readyState === "open") {
      this.conn.close();
      this.#onClose("forced server close");
    }
  }

  #onClose(reason: EngineCloseReason | DisconnectReason, description?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.dlQueue?.remove(this);
    for (const socket of [...this.nsps.values()]) socket._onClose(reason, description);
    this.nsps.clear();
    this.#decoder.destroy();
  }
}

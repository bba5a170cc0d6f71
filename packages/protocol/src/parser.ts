/**
 * The interface of a custom Socket.IO codec (reference §1.10 "Parser"): socket.io's and
 * socket.io-client's `parser` option, e.g. `import * as msgpackParser from "socket.io-msgpack-parser"`.
 * Types only; the server and the client each check what a custom decoder emits with
 * {@link validateDecodedPacket}, since it is user code fed with untrusted bytes.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a codec is user code typed by its own package (`any` packets, as socket.io types them) */

/** An encoder of a custom parser: `encode(packet)` returns the packet's Engine.IO messages (strings and binary). */
export interface ParserEncoder {
  /**
   * Returns an array of messages (the server also accepts a single one). Typed `unknown`: the
   * published typings of socket.io-msgpack-parser declare one ArrayBuffer where the code
   * returns an array.
   */
  encode(packet: any): unknown;
}

/** A decoder of a custom parser: an emitter of `"decoded"` packets, fed one Engine.IO message at a time. */
export interface ParserDecoder {
  /** Adds one message: a string, or binary in the host's type (Node: a `Buffer`). May throw on malformed input. */
  add(chunk: any): void;
  on(event: "decoded", listener: (packet: any) => void): unknown;
  /** Drops any partial state; called when the connection closes. */
  destroy?(): void;
}

/**
 * A custom Socket.IO parser: `new Encoder()` and `new Decoder()`. Both peers must use the same one.
 *
 * @example
 * import * as msgpackParser from "socket.io-msgpack-parser";
 * const io = new Server({ parser: msgpackParser });
 */
export interface Parser {
  Encoder: new () => ParserEncoder;
  Decoder: new () => ParserDecoder;
}

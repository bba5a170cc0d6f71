/**
 * The `parser` option (reference §1.10 "Parser"): a custom Socket.IO codec with socket.io's
 * parser interface, such as `socket.io-msgpack-parser`. The encoder is one instance per server
 * (a broadcast is encoded once for all recipients); each connection gets its own decoder.
 *
 * A custom decoder is user code fed with untrusted bytes, so its output is checked exactly like
 * the built-in decoder's ({@link validateDecodedPacket}), and every way it can fail — throwing,
 * emitting garbage, emitting several packets for one frame — becomes a `ProtocolError`, which
 * closes that connection as a parse error of the built-in parser does.
 */
import {
  ProtocolError,
  validateDecodedPacket,
  type Parser,
  type ParserDecoder,
  type ParserEncoder,
  type SocketPacket,
} from "@omnio/protocol";

/** Frames of one encoded packet, each one Engine.IO message: text first, then binary. */
export type EncodedFrames = Array<string | Uint8Array | ArrayBuffer | ArrayBufferView>;

export type { Parser, ParserEncoder, ParserDecoder };

/** Throws a `TypeError` unless `parser` has `Encoder` and `Decoder` constructors. */
export function checkParser(parser: unknown): asserts parser is Parser {
  const p = parser as Partial<Parser> | null;
  if (typeof p !== "object" || p === null || typeof p.Encoder !== "function" || typeof p.Decoder !== "function") {
    throw new TypeError(
      "The parser option must be an object with Encoder and Decoder classes, such as the module socket.io-msgpack-parser.",
    );
  }
}

function isFrame(part: unknown): boolean {
  return typeof part === "string" || part instanceof ArrayBuffer || ArrayBuffer.isView(part);
}

/** The server's encoder function over a custom parser (one `Encoder` instance). */
export function customEncoder(parser: Parser): (packet: SocketPacket) => EncodedFrames {
  const encoder = new parser.Encoder();
  return (packet) => {
    const out = encoder.encode(packet);
    // socket.io writes a lone frame as is (`Array.isArray(x) ? x : [x]`).
    const frames = (Array.isArray(out) ? out : [out]) as unknown[];
    for (const part of frames) {
      if (!isFrame(part)) {
        throw new TypeError("The parser's Encoder.encode() must return an array of strings and binary frames.");
      }
    }
    return frames as EncodedFrames;
  };
}

function asProtocolError(cause: unknown): ProtocolError {
  if (cause instanceof ProtocolError) return cause;
  return new ProtocolError("INVALID_PACKET", "The custom parser could not decode the frame.", { cause });
}

/**
 * One connection's custom decoder behind the built-in decoder's contract: `add(frame)` returns
 * the packet decoded from that frame (or `undefined` while the codec waits for more frames) and
 * throws `ProtocolError` for anything wrong. A packet the codec emits later, outside `add()`
 * (an asynchronous codec), goes to `onLate`, checked the same way.
 *
 * @example
 * const decoder = new CustomDecoder(msgpackParser, (packetOrError) => {});
 * const packet = decoder.add(frame); // validated, or throws ProtocolError
 */
export class CustomDecoder {
  readonly #decoder: ParserDecoder | undefined;
  /** Set when the codec could not even be created: every frame then fails with it. */
  readonly #broken: ProtocolError | undefined;
  readonly #onLate: (result: SocketPacket | ProtocolError) => void;
  #adding = false;
  #packet: SocketPacket | undefined;
  #failure: ProtocolError | undefined;

  constructor(parser: Parser, onLate: (result: SocketPacket | ProtocolError) => void) {
    this.#onLate = onLate;
    try {
      const decoder = new parser.Decoder();
      decoder.on("decoded", (raw: unknown) => this.#onDecoded(raw));
      this.#decoder = decoder;
    } catch (cause) {
      this.#broken = asProtocolError(cause);
    }
  }

  add(frame: string | Uint8Array): SocketPacket | undefined {
    const decoder = this.#decoder;
    if (!decoder) throw this.#broken!;
    this.#adding = true;
    try {
      decoder.add(frame);
    } catch (cause) {
      this.#failure ??= asProtocolError(cause);
    } finally {
      this.#adding = false;
    }
    const packet = this.#packet;
    const failure = this.#failure;
    this.#packet = this.#failure = undefined;
    if (failure) throw failure;
    return packet;
  }

  #onDecoded(raw: unknown): void {
    if (!this.#adding) {
      let result: SocketPacket | ProtocolError;
      try {
        result = validateDecodedPacket(raw);
      } catch (err) {
        result = asProtocolError(err);
      }
      this.#onLate(result);
      return;
    }
    // Recorded, not thrown: a codec may swallow what its listeners throw.
    if (this.#failure) return;
    if (this.#packet) {
      // One Engine.IO message carries at most one Socket.IO packet (what every limit counts).
      this.#packet = undefined;
      this.#failure = new ProtocolError("INVALID_PACKET", "The custom parser decoded several packets from one frame.");
      return;
    }
    try {
      this.#packet = validateDecodedPacket(raw);
    } catch (err) {
      this.#failure = asProtocolError(err);
    }
  }

  destroy(): void {
    try {
      this.#decoder?.destroy?.();
    } catch {
      // The connection is gone either way; a failing cleanup of user code changes nothing.
    }
  }
}

/**
 * Errors raised by the codecs. Every decode failure is a `ProtocolError` with a stable
 * string `code`, so callers can tell a malformed frame from a bug without parsing messages.
 *
 * @example
 * try { decodeEnginePacket(frame) } catch (e) { if (e instanceof ProtocolError) close("parse error") }
 */
export type ProtocolErrorCode =
  | "INVALID_PACKET_TYPE"
  | "INVALID_PACKET"
  | "INVALID_PAYLOAD"
  | "INVALID_NAMESPACE"
  | "INVALID_ACK_ID"
  | "INVALID_ATTACHMENTS"
  | "TOO_MANY_ATTACHMENTS"
  | "INVALID_PLACEHOLDER"
  | "UNEXPECTED_BINARY"
  | "UNEXPECTED_TEXT"
  | "INVALID_BASE64"
  | "INVALID_LENGTH"
  | "RESERVED_EVENT";

/**
 * A malformed or forbidden frame. `code` is stable; `message` is a sentence for humans, by
 * default the code itself as one (`"INVALID_ACK_ID"` → `"Invalid ack id."`).
 */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  readonly code: ProtocolErrorCode;
  constructor(code: ProtocolErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? code[0] + code.slice(1).toLowerCase().replace(/_/g, " ") + ".", options);
    this.code = code;
  }
}

/**
 * Server-to-client WebSocket frames (RFC 6455 §5.2: FIN, opcode, unmasked payload length)
 * built as one contiguous Buffer, so a send is a single `socket.write` instead of `ws`'s
 * cork + header write + payload write. Used only while permessage-deflate is off, when
 * `ws`'s sender never queues data frames.
 */

/** Writes the frame header for `length` payload bytes; returns the header size. */
function writeHeader(buf: Buffer, opcode: number, length: number): number {
  buf[0] = 0x80 | opcode;
  if (length < 126) {
    buf[1] = length;
    return 2;
  }
  if (length < 65536) {
    buf[1] = 126;
    buf.writeUInt16BE(length, 2);
    return 4;
  }
  buf[1] = 127;
  buf.writeUInt32BE(Math.floor(length / 0x100000000), 2);
  buf.writeUInt32BE(length >>> 0, 6);
  return 10;
}

function headerSize(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}

/** A complete text frame for `text`. */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const head = headerSize(length);
  const buf = Buffer.allocUnsafe(head + length);
  writeHeader(buf, 0x1, length);
  buf.write(text, head, "utf8");
  return buf;
}

/** A complete binary frame for `bytes`. */
export function binaryFrame(bytes: Uint8Array): Buffer {
  const head = headerSize(bytes.length);
  const buf = Buffer.allocUnsafe(head + bytes.length);
  writeHeader(buf, 0x2, bytes.length);
  buf.set(bytes, head);
  return buf;
}

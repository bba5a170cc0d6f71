/**
 * Forwards a WebSocket upgrade to the node that owns its session: opens a TCP connection to
 * the owner, replays the HTTP upgrade request (with the forwarding marker), then splices the
 * two sockets. From then on this node only copies bytes; the 101 answer and every frame come
 * from the owner.
 */
import type { IncomingMessage } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { withForwardedFor, type ForwardTarget } from "./forward-http.js";

/** The request line and headers of an upgrade, ready to be written on a new connection. */
function upgradeHead(req: IncomingMessage, target: ForwardTarget): string {
  const raw = req.rawHeaders;
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (lower !== target.markerHeader) kept.push(raw[i]!, raw[i + 1]!);
  }
  const headers = withForwardedFor(kept, req);
  headers.push(target.markerHeader, target.marker);
  let head = `${req.method ?? "GET"} ${req.url ?? "/"} HTTP/1.1\r\n`;
  for (let i = 0; i + 1 < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return head + "\r\n";
}

/**
 * Splices `socket` (whose upgrade request is `req`, with `head` already read past the
 * headers) to the owner. `onUnreachable` runs when the owner refused or did not accept the
 * connection in time; nothing has been written to `socket` then.
 */
export function forwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: ForwardTarget,
  onUnreachable: () => void,
): void {
  const upstream = connect({ host: target.host, port: target.port });
  let connected = false;
  const timer = setTimeout(() => upstream.destroy(new Error("connect timeout")), target.connectTimeout);
  upstream.once("connect", () => {
    connected = true;
    clearTimeout(timer);
    if (socket.destroyed) {
      upstream.destroy();
      return;
    }
    upstream.setNoDelay(true);
    upstream.write(upgradeHead(req, target));
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on("error", () => {
    clearTimeout(timer);
    if (!connected && !socket.destroyed) onUnreachable();
    else socket.destroy();
  });
  upstream.on("close", () => socket.destroy());
  socket.on("close", () => upstream.destroy());
}

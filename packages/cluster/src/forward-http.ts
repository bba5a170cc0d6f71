/**
 * Forwards one HTTP long-polling request (GET or POST) to the node that owns its session,
 * streaming the body up and the response down, with the status and headers unchanged.
 * A fresh TCP connection per forwarded request (no keep-alive pool): a pooled connection
 * that the owner closed while idle would fail a POST whose body is already streamed, and a
 * failed POST cannot be retried.
 */
import { request, type IncomingMessage, type ServerResponse } from "node:http";

/** Headers that belong to one hop (RFC 9110 §7.6.1), never copied by a proxy. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** `rawHeaders` without the hop-by-hop ones (and without `drop`), as a flat name/value list. */
export function endToEndHeaders(rawHeaders: readonly string[], drop?: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || drop?.has(lower)) continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  return out;
}

/** Appends the client's address to `X-Forwarded-For`, as any HTTP proxy does. */
export function withForwardedFor(headers: string[], req: IncomingMessage): string[] {
  const client = req.socket.remoteAddress ?? "";
  let previous: string | undefined;
  const out: string[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (headers[i]!.toLowerCase() === "x-forwarded-for") previous = headers[i + 1];
    else out.push(headers[i]!, headers[i + 1]!);
  }
  out.push("X-Forwarded-For", previous ? `${previous}, ${client}` : client);
  return out;
}

const DROP_ON_REQUEST = new Set(["x-forwarded-for"]);

export interface ForwardTarget {
  host: string;
  port: number;
  /** The marker header value (see `forward-signature.ts`). */
  marker: string;
  markerHeader: string;
  connectTimeout: number;
}

/**
 * Sends `req` to `target` and pipes the answer into `res`. `onUnreachable` runs when the
 * owner could not be reached before anything was answered (refused, reset, timed out), so
 * the caller can answer as if the session were unknown.
 */
export function forwardHttp(
  req: IncomingMessage,
  res: ServerResponse,
  target: ForwardTarget,
  onUnreachable: () => void,
): void {
  const headers = withForwardedFor(endToEndHeaders(req.rawHeaders, DROP_ON_REQUEST), req);
  headers.push(target.markerHeader, target.marker);
  const upstream = request({
    host: target.host,
    port: target.port,
    method: req.method,
    path: req.url,
    headers,
    agent: false,
    setHost: false,
  });
  let answered = false;
  let clientGone = false;
  const timer = setTimeout(() => upstream.destroy(new Error("connect timeout")), target.connectTimeout);
  upstream.on("socket", (socket) => {
    if (socket.connecting) socket.once("connect", () => clearTimeout(timer));
    else clearTimeout(timer);
  });
  upstream.on("response", (upstreamRes) => {
    answered = true;
    clearTimeout(timer);
    if (res.destroyed) {
      upstreamRes.destroy();
      return;
    }
    res.writeHead(upstreamRes.statusCode ?? 502, endToEndHeaders(upstreamRes.rawHeaders));
    upstreamRes.pipe(res);
    upstreamRes.on("error", () => res.destroy());
    upstreamRes.on("aborted", () => res.destroy());
  });
  upstream.on("error", () => {
    clearTimeout(timer);
    if (clientGone) return;
    if (!answered && !res.headersSent) onUnreachable();
    else res.destroy();
  });
  // The client gave up (e.g. an aborted long-poll): the owner must see the abort too, as it
  // would without a proxy in between.
  res.on("close", () => {
    if (res.writableFinished) return;
    clientGone = true;
    clearTimeout(timer);
    upstream.destroy();
  });
  req.pipe(upstream);
}

/**
 * Forwards one HTTP long-polling request (GET or POST) to the node that owns its session,
 * with the body up and the response streamed down, status and headers unchanged. Requests go
 * over a keep-alive pool per owner; a request whose pooled connection turns out to have been
 * closed by the owner while idle is sent again on a new connection (which is why bodies are
 * read before they are sent, up to a small size).
 */
import { request, type Agent, type ClientRequest, type IncomingMessage, type ServerResponse } from "node:http";

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
  /** A keep-alive pool for this owner; without it every request gets a new connection. */
  agent?: Agent;
}

/**
 * Bodies up to this size are read before they are forwarded, so that a request sent on a
 * pooled connection which the owner closed while it was idle can be sent again on a new one.
 * Longer bodies stream on a new connection of their own. Polling bodies are small.
 */
const MAX_RESENDABLE_BODY = 64 * 1024;

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
  let clientGone = false;
  let upstream: ClientRequest | undefined;
  // The client gave up (e.g. an aborted long-poll): the owner must see the abort too, as it
  // would without a proxy in between.
  res.on("close", () => {
    if (res.writableFinished) return;
    clientGone = true;
    upstream?.destroy();
  });

  /** `body`: the whole body (resendable), or the chunks read so far before streaming the rest. */
  const send = (body: { whole: Buffer } | { head: Buffer[] }, pooled: boolean): void => {
    if (clientGone) return;
    const up = (upstream = request({
      host: target.host,
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
      agent: pooled && target.agent ? target.agent : false,
      setHost: false,
    }));
    let answered = false;
    const timer = setTimeout(() => up.destroy(new Error("connect timeout")), target.connectTimeout);
    up.on("socket", (socket) => {
      if (socket.connecting) socket.once("connect", () => clearTimeout(timer));
      else clearTimeout(timer);
    });
    up.on("response", (upstreamRes) => {
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
    up.on("error", () => {
      clearTimeout(timer);
      if (clientGone) return;
      if (answered || res.headersSent) {
        res.destroy();
        return;
      }
      // A pooled connection that the owner closed while idle: once more, on a new connection.
      if (pooled && up.reusedSocket && "whole" in body) return send(body, false);
      onUnreachable();
    });
    if ("whole" in body) {
      up.end(body.whole);
      return;
    }
    for (const chunk of body.head) up.write(chunk);
    req.pipe(up);
  };

  const declared = Number(req.headers["content-length"] ?? 0);
  const bodyless = req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS";
  if (!target.agent || (!bodyless && !(declared <= MAX_RESENDABLE_BODY))) {
    send({ head: [] }, false);
    return;
  }
  if (bodyless && req.complete) {
    send({ whole: Buffer.alloc(0) }, true);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_RESENDABLE_BODY) {
      // Longer than announced (chunked): stream the rest on a connection of its own.
      req.off("data", onData);
      req.off("end", onEnd);
      req.pause();
      send({ head: chunks }, false);
    }
  };
  const onEnd = (): void => send({ whole: Buffer.concat(chunks, size) }, true);
  req.on("data", onData);
  req.on("end", onEnd);
}

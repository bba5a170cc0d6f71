/**
 * Binds an engine to a Node `http`/`https`/`http2`-compat server: requests on the engine
 * path go to the engine, others to the server's previous listeners; upgrades on the path
 * become WebSocket sessions, others are destroyed after `destroyUpgradeTimeout`.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { ENGINE_ERROR_MESSAGES } from "../../engine/errors.js";
import type { EngineServer } from "../../engine/server.js";
import { NodeRequest, NodeResponse } from "./http.js";
import type { ClientFileServer } from "./serve-client.js";
import { NodeWebSocketConnection } from "./websocket.js";

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

function ignoreError(): void {}

/** Writes a raw HTTP error on an upgrade socket and destroys it. */
function abortUpgrade(socket: Duplex, status: number, message: string): void {
  socket.on("error", ignoreError);
  if (socket.writable) {
    const reason = status === 403 ? "Forbidden" : "Bad Request";
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-type: text/html\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
    );
  }
  socket.destroy();
}

export interface AttachedEngine {
  wss: WebSocketServer;
  detach(): void;
}

/** Attaches `engine` to `server`; `clientFiles` (serveClient) answers its few paths before the engine. */
export function attachEngine(engine: EngineServer, server: HttpServer, clientFiles?: ClientFileServer): AttachedEngine {
  const o = engine.opts;
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: o.maxHttpBufferSize,
    perMessageDeflate: o.perMessageDeflate === false ? false : o.perMessageDeflate,
  });
  wss.on("error", ignoreError);
  const pendingHeaders = new WeakMap<IncomingMessage, Record<string, string | string[]>>();
  wss.on("headers", (lines: string[], req: IncomingMessage) => {
    const extra = pendingHeaders.get(req);
    if (!extra) return;
    for (const [name, value] of Object.entries(extra)) {
      for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
    }
  });

  const previous = server.listeners("request").slice() as RequestListener[];
  server.removeAllListeners("request");
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (clientFiles?.handle(req, res)) return;
    if (engine.matchesPath(req.url ?? "/")) {
      const request = new NodeRequest(req, res);
      const response = new NodeResponse(res, request);
      engine.handleRequest(request, response).catch(() => {
        response.send(
          500,
          { "Content-Type": "application/json" },
          JSON.stringify({ code: 3, message: ENGINE_ERROR_MESSAGES[3] }),
        );
      });
      return;
    }
    for (const listener of previous) listener.call(server, req, res);
  };
  server.on("request", onRequest);

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Keep an error listener from the first moment (CVE-2022-41940).
    socket.on("error", ignoreError);
    if (!engine.matchesPath(req.url ?? "/")) {
      if (o.destroyUpgrade) {
        setTimeout(() => {
          const s = socket as Duplex & { bytesWritten?: number };
          if (s.writable && (s.bytesWritten ?? 0) <= 0) s.end();
        }, o.destroyUpgradeTimeout).unref();
      }
      return;
    }
    const request = new NodeRequest(req, undefined);
    engine
      .prepareUpgrade(request)
      .then((decision) => {
        if (!decision.ok) {
          // engine.io answers every refused upgrade `400 Bad Request`, a 403 code 4 included.
          abortUpgrade(socket, 400, decision.error.message);
          return;
        }
        pendingHeaders.set(req, decision.headers);
        wss.handleUpgrade(req, socket, head, (ws) => {
          pendingHeaders.delete(req);
          decision.accept(new NodeWebSocketConnection(ws, o.perMessageDeflate === false));
        });
      })
      .catch(() => abortUpgrade(socket, 400, ENGINE_ERROR_MESSAGES[3]));
  };
  server.on("upgrade", onUpgrade);

  return {
    wss,
    detach() {
      server.off("request", onRequest);
      server.off("upgrade", onUpgrade);
      for (const l of previous) server.on("request", l);
      wss.close();
    },
  };
}

/**
 * The Node entry's `Server`: socket.io's constructor forms and `attach`/`listen`/`close`
 * over `node:http` (or https / http2 compat servers, or an Express/Koa/Fastify
 * `http.Server`), with `ws` for WebSockets.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- socket data is arbitrary by design */
import { createServer, type Server as HttpServer } from "node:http";
import { EngineServer } from "../../engine/server.js";
import type { ServerOptions } from "../../socketio/options.js";
import { ServerCore } from "../../socketio/server.js";
import type { DefaultEventsMap, EventsMap } from "../../socketio/typed-events.js";
import { attachEngine, type AttachedEngine } from "./attach.js";
import { nodeRuntime } from "./runtime.js";
import { ClientFileServer, locateClientBundle } from "./serve-client.js";

type Attachable = HttpServer | { listeners(ev: string): unknown[]; on(ev: string, fn: (...a: any[]) => void): unknown };

/**
 * A Socket.IO server for Node.
 *
 * @example
 * import { createServer } from "node:http";
 * import { Server } from "@omnio/server";
 * const httpServer = createServer();
 * const io = new Server(httpServer, { cors: { origin: "*" } });
 * io.on("connection", (socket) => socket.emit("hello", "world"));
 * httpServer.listen(3000);
 */
export class Server<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = any,
> extends ServerCore<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  /** The attached HTTP server. */
  httpServer: HttpServer | undefined;
  #attached: AttachedEngine | undefined;

  constructor(options?: ServerOptions);
  constructor(srv: Attachable | number | undefined, options?: ServerOptions);
  constructor(srv?: Attachable | number | ServerOptions, options: ServerOptions = {}) {
    const isOptions =
      typeof srv === "object" && srv !== null && typeof (srv as { listen?: unknown }).listen !== "function";
    const opts = isOptions ? (srv as ServerOptions) : options;
    super(opts, nodeRuntime(!opts.perMessageDeflate));
    if (!isOptions && srv !== undefined) this.attach(srv as Attachable | number);
  }

  /** Attaches to an HTTP server, or creates one listening on `port` (404 for other paths). */
  attach(srv: Attachable | number, options: ServerOptions = {}): this {
    if (typeof srv === "function") {
      throw new TypeError(
        "You are trying to attach omnio to an express request handler function. Please pass an http.Server instance.",
      );
    }
    let server: HttpServer;
    if (typeof srv === "number") {
      server = createServer((_req, res) => {
        res.writeHead(404);
        res.end();
      });
      server.listen(srv);
    } else server = srv as HttpServer;
    const engineOptions = { ...this._rawOptions, ...options };
    const engine = new EngineServer(engineOptions, this.runtime);
    this.bind(engine);
    this.httpServer = server;
    const bundle = (engineOptions.serveClient ?? true) ? locateClientBundle() : undefined;
    const clientFiles = bundle && new ClientFileServer(engine.opts.path, bundle);
    this.#attached = attachEngine(engine, server, clientFiles);
    return this;
  }

  /** Alias of `attach`. */
  listen(srv: Attachable | number, options: ServerOptions = {}): this {
    return this.attach(srv, options);
  }

  /**
   * Disconnects every client, closes the adapters, the engine and the HTTP server.
   * @example
   * await io.close();
   */
  async close(fn?: (err?: Error) => void): Promise<void> {
    await this.closeCore();
    const server = this.httpServer;
    this.#attached?.wss.close();
    if (!server) {
      fn?.();
      return;
    }
    await new Promise<void>((resolve) => {
      server.close((err) => {
        fn?.(err && (err as NodeJS.ErrnoException).code !== "ERR_SERVER_NOT_RUNNING" ? err : undefined);
        resolve();
      });
      server.closeIdleConnections?.();
    });
  }
}

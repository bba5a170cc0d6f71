/**
 * Target `ws`: a raw `ws` server implementing just enough of Engine.IO v4 / Socket.IO v5 over
 * WebSocket for the benchmark scenarios (reference §2.1, §2.3). It is the floor the real servers
 * are compared against: what the same wire behaviour costs with nothing else on top.
 *
 * Implemented: the open packet `0{...}` on connect; `40` → `40{"sid":...}`; `42<id>["echo",x]` →
 * `43<id>[x]`; `42["bcast",t,size]` → `42["tick",t,"xx…"]` to every connected client, encoded
 * once; server pings `2` every `pingInterval`, connections that have not answered `3` by the next
 * ping are terminated (a coarser check than `pingTimeout`). Packets are parsed with
 * `JSON.parse`, as a real server would; anything else is ignored.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { listenLocal, readPort, serveControl } from "./control.js";

/** Engine.IO timings advertised in the open packet; socket.io's defaults. */
const PING_INTERVAL_MS = 25_000;
const PING_TIMEOUT_MS = 20_000;
/** socket.io's default `maxHttpBufferSize`, advertised as `maxPayload` and enforced by ws. */
const MAX_PAYLOAD = 1_000_000;

/** 20 URL-safe characters, the shape of socket.io's ids. */
function newId(): string {
  return randomBytes(15).toString("base64url");
}

interface Session {
  readonly ws: WebSocket;
  /** Joined the `/` namespace. */
  connected: boolean;
  /** A ping was sent and its pong has not arrived. */
  awaitingPong: boolean;
}

class WsBaselineServer {
  readonly #sessions = new Set<Session>();
  readonly #paddings = new Map<number, string>();
  readonly #pingTimer: NodeJS.Timeout;

  constructor(readonly wss: WebSocketServer) {
    wss.on("connection", (ws, req) => this.#accept(ws, req));
    this.#pingTimer = setInterval(() => this.#pingAll(), PING_INTERVAL_MS);
    this.#pingTimer.unref();
  }

  close(): void {
    clearInterval(this.#pingTimer);
    for (const session of this.#sessions) session.ws.terminate();
  }

  #accept(ws: WebSocket, req: IncomingMessage): void {
    const query = new URL(req.url ?? "/", "http://localhost").searchParams;
    if (query.get("EIO") !== "4" || query.get("transport") !== "websocket") {
      ws.close(1002, "unsupported protocol version or transport");
      return;
    }
    const session: Session = { ws, connected: false, awaitingPong: false };
    this.#sessions.add(session);
    ws.on("message", (data, isBinary) => this.#receive(session, data, isBinary));
    ws.on("close", () => this.#sessions.delete(session));
    ws.on("error", () => ws.terminate());
    ws.send(
      "0" +
        JSON.stringify({
          sid: newId(),
          upgrades: [],
          pingInterval: PING_INTERVAL_MS,
          pingTimeout: PING_TIMEOUT_MS,
          maxPayload: MAX_PAYLOAD,
        }),
    );
  }

  #receive(session: Session, data: RawData, isBinary: boolean): void {
    // Text frames arrive as one Buffer (binaryType "nodebuffer"); binary ones are not used here.
    if (isBinary || !Buffer.isBuffer(data)) return;
    const text = data.toString();
    if (text === "3") {
      session.awaitingPong = false;
    } else if (text.startsWith("40")) {
      if (!session.connected && (text.length === 2 || text[2] === "{")) {
        session.connected = true;
        session.ws.send(`40{"sid":"${newId()}"}`);
      }
    } else if (text === "41") {
      session.connected = false;
    } else if (text.startsWith("42") && session.connected) {
      this.#event(session, text);
    }
  }

  #event(session: Session, text: string): void {
    const bracket = text.indexOf("[", 2);
    if (bracket < 0) return;
    const idText = text.slice(2, bracket);
    const args: unknown = JSON.parse(text.slice(bracket));
    if (!Array.isArray(args)) return;
    const [event, ...rest] = args as unknown[];
    if (event === "echo" && /^\d+$/.test(idText)) {
      session.ws.send(`43${idText}${JSON.stringify(rest)}`);
    } else if (event === "bcast") {
      const size = typeof rest[1] === "number" && rest[1] >= 0 && rest[1] <= 1 << 20 ? rest[1] : 0;
      this.#broadcast(Buffer.from("42" + JSON.stringify(["tick", rest[0], this.#padding(size)])));
    }
  }

  /** Sends one pre-encoded text frame to every connected session (no per-recipient encoding). */
  #broadcast(frame: Buffer): void {
    for (const session of this.#sessions) {
      if (session.connected) session.ws.send(frame, { binary: false });
    }
  }

  #pingAll(): void {
    for (const session of this.#sessions) {
      if (session.awaitingPong) {
        session.ws.terminate();
      } else {
        session.awaitingPong = true;
        session.ws.send("2");
      }
    }
  }

  #padding(size: number): string {
    let pad = this.#paddings.get(size);
    if (pad === undefined) {
      pad = "x".repeat(size);
      this.#paddings.set(size, pad);
    }
    return pad;
  }
}

const port = readPort(process.argv, process.env);
const httpServer = createServer((_req, res) => {
  res.writeHead(404).end();
});
const wss = new WebSocketServer({
  server: httpServer,
  path: "/socket.io/",
  perMessageDeflate: false,
  maxPayload: MAX_PAYLOAD,
  clientTracking: false,
});
const app = new WsBaselineServer(wss);
const bound = await listenLocal(httpServer, port);
serveControl(bound, async () => {
  app.close();
  await new Promise<void>((resolve) => wss.close(() => httpServer.close(() => resolve())));
});

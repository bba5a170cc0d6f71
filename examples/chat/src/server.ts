/**
 * The chat server: an HTTP server for the page (`public/`), an omnio `Server` on it that also
 * serves the omnio browser client at `/socket.io/omnio.min.js` (`serveClient`), and the chat
 * protocol of `chat.ts`.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Server } from "@omnio/server";
import { attachChat } from "./chat.js";
import { DEFAULT_LIMITS, type ChatLimits } from "./limits.js";
import type { Rooms } from "./rooms.js";
import { loadStatic, sendStatic } from "./static-files.js";

export { DEFAULT_LIMITS, DEFAULT_ROOM, type ChatLimits } from "./limits.js";
export type { ChatError, ChatErrorCode, Reply } from "./errors.js";
export type { ChatMessage, Member, RoomSummary } from "./rooms.js";

/** Options of {@link start}. */
export interface ChatServerOptions {
  /** TCP port; `0` picks a free one. @default 3000 */
  port?: number;
  /** Interface to listen on. @default "localhost" */
  host?: string;
  /** Overrides of the chat's limits ({@link DEFAULT_LIMITS}). */
  limits?: Partial<ChatLimits>;
}

/** A running chat server. */
export interface ChatServer {
  /** Where to open the page, e.g. `http://localhost:3000/`. */
  url: string;
  port: number;
  io: Server;
  httpServer: HttpServer;
  rooms: Rooms;
  /** Disconnects every client and closes the HTTP server. */
  close(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));
/** Room for the rest of a packet around a file of `maxFileBytes` (name, type, framing). */
const PACKET_OVERHEAD = 64 * 1024;

/**
 * Starts the chat.
 *
 * @example
 * const chat = await start({ port: 0, host: "127.0.0.1" });
 * console.log(`open ${chat.url}`);
 * await chat.close();
 */
export async function start(options: ChatServerOptions = {}): Promise<ChatServer> {
  const limits: ChatLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const files = loadStatic(PUBLIC_DIR);
  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const pathname = (req.url ?? "/").split("?")[0]!;
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) {
      res.writeHead(405, { "content-type": "text/plain; charset=utf-8", allow: "GET, HEAD" });
      return res.end("method not allowed\n");
    }
    const file = files.get(pathname);
    if (file === undefined) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      return res.end("not found\n");
    }
    sendStatic(res, file, head);
  });
  const io = new Server(httpServer, {
    serveClient: true,
    // A file travels in one packet: allow the file limit plus the packet around it, no more.
    maxHttpBufferSize: limits.maxFileBytes + PACKET_OVERHEAD,
    maxAttachments: 1,
    pingInterval: 10_000,
    pingTimeout: 5_000,
  });
  const rooms = attachChat(io, limits);

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port ?? 3000, options.host ?? "localhost", () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const shown = options.host === undefined || options.host === "localhost" ? "localhost" : host;
  return {
    url: `http://${shown === "0.0.0.0" || shown === "[::]" ? "localhost" : shown}:${address.port}/`,
    port: address.port,
    io,
    httpServer,
    rooms,
    async close() {
      await io.close();
      httpServer.closeAllConnections();
    },
  };
}

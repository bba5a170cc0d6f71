/**
 * One node of the example cluster: an omnio server with the Redis adapter (broadcasts,
 * rooms and fetchSockets across nodes) and forwarding (no sticky sessions), plus a small
 * page that shows which node served what.
 */
import { createServer, type Server as HttpServer } from "node:http";
import { discoverPeersThroughRedis, enableForwarding, type Forwarding, type RedisDiscovery } from "@omnio/cluster";
import { createAdapter } from "@omnio/redis-adapter";
import { Server } from "@omnio/server";
import { Redis } from "ioredis";
import { PAGE } from "./page.js";

export interface ClusterNodeOptions {
  /** This node's id (prefixes its session ids). */
  nodeId: string;
  /**
   * Where the other nodes reach this one (`http://host:port`). The nodes find each other
   * through Redis (`discoverPeersThroughRedis`).
   */
  address: string;
  /** A static peer table instead of discovery: every node's address by id. */
  peers?: Record<string, string>;
  /** Shared by every node; signs forwarded requests. */
  secret: string;
  /** `redis://host:port` */
  redisUrl: string;
}

export interface ClusterNode {
  readonly io: Server;
  readonly httpServer: HttpServer;
  readonly forwarding: Forwarding;
  close(): Promise<void>;
}

export async function createClusterNode(o: ClusterNodeOptions): Promise<ClusterNode> {
  const pub = new Redis(o.redisUrl, { lazyConnect: false });
  const sub = pub.duplicate();
  const httpServer = createServer((req, res) => {
    if (req.url === "/" || req.url === "/index.html") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(PAGE);
      return;
    }
    if (req.url === "/node") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({ nodeId: o.nodeId, stats: forwarding.stats, peers: Object.fromEntries(forwarding.peers()) }),
      );
      return;
    }
    res.writeHead(404);
    res.end();
  });
  const io = new Server(httpServer, { adapter: createAdapter(pub, sub) });
  const forwarding = enableForwarding(io, { nodeId: o.nodeId, peers: o.peers ?? {}, secret: o.secret });
  const discovery: RedisDiscovery | undefined = o.peers
    ? undefined
    : await discoverPeersThroughRedis(forwarding, pub, { address: o.address, key: "omnio-example:nodes" });
  io.of("/").adapter.on("error", (err: Error) => console.error(`[${o.nodeId}] adapter: ${err.message}`));

  io.on("connection", (socket) => {
    socket.data = { node: o.nodeId };
    socket.emit("welcome", { node: o.nodeId, id: socket.id });
    socket.on("chat", (text: unknown) => {
      if (typeof text !== "string" || text.length > 500) return;
      io.emit("chat", { text, from: socket.id, node: o.nodeId });
    });
    socket.on("who", async (ack: unknown) => {
      if (typeof ack !== "function") return;
      const sockets = await io.fetchSockets();
      (ack as (r: unknown) => void)(sockets.map((s) => ({ id: s.id, node: (s.data as { node: string }).node })));
    });
  });

  return {
    io,
    httpServer,
    forwarding,
    async close() {
      await discovery?.stop();
      forwarding.disable();
      await io.close();
      pub.disconnect();
      sub.disconnect();
    },
  };
}

/**
 * No sticky sessions: every session id names the node that owns it, and a node that gets a
 * polling request or WebSocket upgrade for another node's session forwards it there. A plain
 * round-robin load balancer in front of the nodes then works for polling-only clients and
 * for upgrades.
 *
 * Installed on an attached `@omnio/server` `Server`: it wraps the HTTP server's `request`
 * and `upgrade` listeners (the engine's included) so that routing runs first, and prefixes
 * the engine's `generateId`.
 */
import { Agent, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { forwardHttp, type ForwardTarget } from "./forward-http.js";
import { FORWARD_HEADER, signForward, verifyForward } from "./forward-signature.js";
import { forwardUpgrade } from "./forward-upgrade.js";
import {
  resolveForwardingOptions,
  resolvePeers,
  type ForwardingOptions,
  type PeerTable,
  type ResolvedForwardingOptions,
} from "./forwarding-options.js";
import { ownedSessionId, ownerOf, sidOfUrl } from "./session-id.js";

/** The parts of `@omnio/server`'s `Server` that forwarding uses. */
export interface ForwardableServer {
  engine: {
    generateId: (req: unknown) => string | Promise<string>;
    matchesPath(url: string): boolean;
  };
  httpServer: HttpServer | undefined;
}

/** Counters of one node's routing decisions. */
export interface ForwardingStats {
  /** Polling requests sent on to their owner. */
  forwardedRequests: number;
  /** WebSocket upgrades spliced to their owner. */
  forwardedUpgrades: number;
  /** Requests whose owner could not be reached (answered "Session ID unknown"). */
  unreachable: number;
  /** Requests refused because they carried a forwarding marker with a bad signature. */
  badMarkers: number;
}

/** What {@link enableForwarding} returns. */
export interface Forwarding {
  readonly nodeId: string;
  readonly stats: ForwardingStats;
  /** The other nodes' addresses, by node id. */
  peers(): Map<string, string>;
  /** Replaces the peer table (nodes joining or leaving). */
  setPeers(peers: PeerTable): void;
  /**
   * Installs a lookup run when a session names a node missing from the table (a node that just
   * joined): the request waits for it, then is routed again. Discovery installs one.
   */
  setPeerLookup(lookup: ((nodeId: string) => Promise<void>) | undefined): void;
  /** Removes the routing: listeners and `generateId` are restored. */
  disable(): void;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

function ignoreError(): void {}

/** Removes the marker so the application never sees it. */
function stripMarker(req: IncomingMessage): void {
  delete req.headers[FORWARD_HEADER];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i]!.toLowerCase() === FORWARD_HEADER) raw.splice(i, 2);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

// Engine.IO's own error answer for code 3 (protocol §2.1 "Error responses").
const BAD_REQUEST_BODY = JSON.stringify({ code: 3, message: "Bad request" });

/**
 * Makes `io` route polling requests and upgrades by session owner.
 *
 * @example
 * const io = new Server(httpServer);
 * enableForwarding(io, {
 *   nodeId: "a",
 *   peers: { a: "http://10.0.0.1:3000", b: "http://10.0.0.2:3000" },
 *   secret: process.env.CLUSTER_SECRET!,
 * });
 */
export function enableForwarding(io: ForwardableServer, options: ForwardingOptions): Forwarding {
  const o: ResolvedForwardingOptions = resolveForwardingOptions(options);
  const server = io.httpServer;
  const engine = io.engine as ForwardableServer["engine"] | undefined;
  if (!server || !engine) {
    throw new TypeError(
      "enableForwarding() needs an attached server: call it after new Server(httpServer) or io.attach().",
    );
  }
  let peers = o.peers;
  /** One keep-alive pool per peer address (polling requests; upgrades get their own sockets). */
  const agents = new Map<string, Agent>();
  const agentFor = (url: URL): Agent => {
    let agent = agents.get(url.origin);
    if (!agent) agents.set(url.origin, (agent = new Agent({ keepAlive: true })));
    return agent;
  };
  const dropStaleAgents = (): void => {
    const live = new Set([...peers.values()].map((u) => u.origin));
    for (const [origin, agent] of agents) {
      if (live.has(origin)) continue;
      agent.destroy();
      agents.delete(origin);
    }
  };
  let lookup: ((nodeId: string) => Promise<void>) | undefined;
  const stats: ForwardingStats = { forwardedRequests: 0, forwardedUpgrades: 0, unreachable: 0, badMarkers: 0 };

  const previousGenerateId = engine.generateId;
  const own = (id: string): string => ownedSessionId(o.nodeId, id);
  engine.generateId = (req) => {
    const id = previousGenerateId.call(engine, req);
    return typeof id === "string" ? own(id) : id.then(own);
  };

  const requestListeners = server.listeners("request") as RequestListener[];
  const upgradeListeners = server.listeners("upgrade") as UpgradeListener[];
  const serveRequest = (req: IncomingMessage, res: ServerResponse): void => {
    for (const l of requestListeners) l.call(server, req, res);
  };
  const serveUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    for (const l of upgradeListeners) l.call(server, req, socket, head);
  };

  /**
   * Where this request must go: "local", "refuse" (bad marker) or the owner's address.
   * Only requests on the engine path are looked at; only those with a `sid` can be forwarded.
   */
  const route = (
    req: IncomingMessage,
    mayLookUp: boolean,
  ): "local" | "refuse" | { unknown: string } | ForwardTarget => {
    const url = req.url ?? "/";
    if (!engine.matchesPath(url)) return "local"; // the application's own routes: untouched
    const marker = header(req, FORWARD_HEADER);
    if (marker !== undefined) {
      // Already forwarded once: served here or refused, never forwarded again (no loops).
      if (verifyForward(o.secret, marker, req.method ?? "GET", url) === undefined) return "refuse";
      stripMarker(req);
      return "local";
    }
    const sid = sidOfUrl(url);
    const owner = sid === undefined ? undefined : ownerOf(sid);
    if (owner === undefined || owner === o.nodeId) return "local";
    const peer = peers.get(owner);
    // Unknown node: look it up once if we can, else the engine answers "Session ID unknown".
    if (!peer) return mayLookUp && lookup ? { unknown: owner } : "local";
    return {
      host: peer.hostname,
      port: Number(peer.port || 80),
      marker: signForward(o.secret, o.nodeId, req.method ?? "GET", url),
      markerHeader: FORWARD_HEADER,
      connectTimeout: o.connectTimeout,
      agent: agentFor(peer),
    };
  };

  /** Runs the lookup for `nodeId`, then `next`, at most `connectTimeout` ms later. */
  const lookUp = (nodeId: string, next: () => void): void => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      next();
    };
    const timer = setTimeout(finish, o.connectTimeout);
    lookup!(nodeId).then(finish, finish);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse, mayLookUp = true): void => {
    const where = route(req, mayLookUp);
    if (where === "local") return serveRequest(req, res);
    if (where === "refuse") {
      stats.badMarkers++;
      res.writeHead(400, { "Content-Type": "application/json" });
      res.end(BAD_REQUEST_BODY);
      return;
    }
    if ("unknown" in where) {
      const again = (): void => onRequest(req, res, false);
      lookUp(where.unknown, again);
      return;
    }
    stats.forwardedRequests++;
    // Owner down: the local engine does not know the session either, so it answers
    // socket.io's "Session ID unknown" 400 (with this server's CORS headers) and the client
    // reconnects through the load balancer.
    forwardHttp(req, res, where, () => {
      stats.unreachable++;
      serveRequest(req, res);
    });
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, mayLookUp = true): void => {
    if (mayLookUp) socket.on("error", ignoreError);
    const where = route(req, mayLookUp);
    if (where === "local") return serveUpgrade(req, socket, head);
    if (where === "refuse") {
      stats.badMarkers++;
      if (socket.writable) {
        socket.write(
          "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\nContent-Length: 11\r\n\r\nBad request",
        );
      }
      socket.destroy();
      return;
    }
    if ("unknown" in where) {
      const again = (): void => onUpgrade(req, socket, head, false);
      lookUp(where.unknown, again);
      return;
    }
    stats.forwardedUpgrades++;
    forwardUpgrade(req, socket, head, where, () => {
      stats.unreachable++;
      serveUpgrade(req, socket, head);
    });
  };

  server.removeAllListeners("request");
  server.removeAllListeners("upgrade");
  server.on("request", onRequest);
  server.on("upgrade", onUpgrade);

  return {
    nodeId: o.nodeId,
    stats,
    peers: () => new Map([...peers].map(([id, url]) => [id, url.origin])),
    setPeers(table: PeerTable) {
      peers = resolvePeers(table, o.nodeId);
      dropStaleAgents();
    },
    setPeerLookup(fn) {
      lookup = fn;
    },
    disable() {
      server.off("request", onRequest);
      server.off("upgrade", onUpgrade);
      for (const l of requestListeners) server.on("request", l);
      for (const l of upgradeListeners) server.on("upgrade", l);
      engine.generateId = previousGenerateId;
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}

/** Options of {@link enableForwarding}, their defaults and their resolution. */
import { checkNodeId } from "./session-id.js";

/** Internal base URLs of the nodes, by node id (`http://host:port`, no path). */
export type PeerTable = Record<string, string> | Map<string, string>;

export interface ForwardingOptions {
  /** This node's id; it prefixes every session id this node creates. */
  nodeId: string;
  /**
   * Where each node can be reached from the others (an internal address, not the load
   * balancer). This node's own entry, if present, is ignored. Change it later with
   * `setPeers()`. @default {}
   */
  peers?: PeerTable;
  /**
   * The secret shared by every node, used to sign forwarded requests (at least 16
   * characters). Keep it out of clients' reach.
   */
  secret: string;
  /** How long to wait for the owner node to accept the TCP connection, in ms. @default 5000 */
  connectTimeout?: number;
}

export interface ResolvedForwardingOptions {
  nodeId: string;
  peers: Map<string, URL>;
  secret: string;
  connectTimeout: number;
}

export const FORWARDING_DEFAULTS = Object.freeze({ connectTimeout: 5000 });

/** Validates a peer table; the own node is dropped. */
export function resolvePeers(peers: PeerTable | undefined, self: string): Map<string, URL> {
  const out = new Map<string, URL>();
  const entries = peers instanceof Map ? [...peers] : Object.entries(peers ?? {});
  for (const [id, base] of entries) {
    checkNodeId(id, "A peer id");
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new TypeError(`The address of peer "${id}" is not a URL: ${base}.`);
    }
    if (url.protocol !== "http:") {
      throw new TypeError(`The address of peer "${id}" must be an http:// URL (got ${base}).`);
    }
    if (id !== self) out.set(id, url);
  }
  return out;
}

export function resolveForwardingOptions(o: ForwardingOptions): ResolvedForwardingOptions {
  const nodeId = checkNodeId(o.nodeId);
  if (typeof o.secret !== "string" || o.secret.length < 16) {
    throw new TypeError("The forwarding secret must be a string of at least 16 characters shared by every node.");
  }
  const connectTimeout = o.connectTimeout ?? FORWARDING_DEFAULTS.connectTimeout;
  if (!(connectTimeout > 0)) throw new TypeError("connectTimeout must be a positive number of milliseconds.");
  return { nodeId, peers: resolvePeers(o.peers, nodeId), secret: o.secret, connectTimeout };
}

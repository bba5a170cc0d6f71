/**
 * Session ids that name their owner node: `<nodeId>.<random>`. Any node can read the owner
 * of a polling request or WebSocket upgrade from its `sid` query parameter alone, with no
 * shared session table. `.` is URL-safe (RFC 3986 unreserved) and never appears in the
 * random part (URL-safe base64) nor in a node id, so the first `.` splits the two.
 */

/** What a node id may contain: URL-safe, short, no `.`. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Throws a `TypeError` unless `nodeId` matches {@link NODE_ID_PATTERN}. */
export function checkNodeId(nodeId: unknown, what = "nodeId"): string {
  if (typeof nodeId !== "string" || !NODE_ID_PATTERN.test(nodeId)) {
    throw new TypeError(`${what} must be 1 to 32 characters among A-Z, a-z, 0-9, "_" and "-" (got ${String(nodeId)}).`);
  }
  return nodeId;
}

/** The session id `random` owned by `nodeId`. */
export function ownedSessionId(nodeId: string, random: string): string {
  return `${nodeId}.${random}`;
}

/** The node that owns `sid`, or undefined when the id names no node. */
export function ownerOf(sid: string): string | undefined {
  const dot = sid.indexOf(".");
  if (dot <= 0) return undefined;
  const owner = sid.slice(0, dot);
  return NODE_ID_PATTERN.test(owner) ? owner : undefined;
}

/** The `sid` query parameter of a request URL, if any. */
export function sidOfUrl(url: string): string | undefined {
  const q = url.indexOf("?");
  if (q === -1) return undefined;
  return new URLSearchParams(url.slice(q + 1)).get("sid") ?? undefined;
}

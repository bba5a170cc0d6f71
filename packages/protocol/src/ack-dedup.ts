/**
 * The key under which an omnio client with `retries` sends its acknowledgement scope in the
 * CONNECT payload (`auth`). The scope is a random token, one per client socket, kept across
 * reconnections: together with the packet's ack id (stable across retries) it names one emit,
 * so an omnio server can answer a retry from its cache instead of running the handler twice.
 * The official socket.io server only sees one more key in `socket.handshake.auth`.
 */
export const ACK_DEDUP_AUTH_KEY = "omnio:ackScope";

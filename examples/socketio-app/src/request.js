// Request/response events: the client sends a payload and an ack callback; the handler
// returns (or resolves with) the answer. A client that sends no callback gets nothing, and
// a malformed payload gets `{ error: "bad request" }` instead of crashing the server with
// a TypeError thrown from a listener.

/**
 * Wraps `handler(...payload)` as a socket.io listener that answers through the ack.
 *
 * @example
 * socket.on("sum", request((a, b) => a + b)); // client: await socket.emitWithAck("sum", 1, 2)
 */
export function request(handler) {
  return async (...args) => {
    const ack = args.pop();
    if (typeof ack !== "function") return;
    let answer;
    try {
      answer = await handler(...args);
    } catch {
      answer = { error: "bad request" };
    }
    ack(answer);
  };
}

// Property names that the `<script>` bundle shortens (esbuild `mangleProps`, see build-bundles.mjs):
// used only between the bundle's own internal objects (transport sinks, the send buffer and the
// retry queue, ack entries, the backoff, the heartbeat, Manager ↔ Socket internals, the emitter's
// listener records). None is a user option, a member of the Platform contract (user platforms
// implement it), a wire field or a method of the bundle's public classes, and none is a member of
// a host object the bundle calls (WebSocket, fetch, XMLHttpRequest, document, crypto, Blob).
// test/bundle-size.test.ts checks the public names are still in the bundle.
export const INTERNAL_PROPS = [
  // transports ↔ engine (the transport config and the parsed server address)
  "takeWithinPayload",
  "address",
  "secure",
  "timestamp",
  "setSid",
  "onDrain",
  "onPacket",
  "pause",
  "resume",
  // the transports' shared base (transport.ts)
  "phase",
  "report",
  "opts",
  "endpoint",
  "params",
  "requestHeaders",
  "session",
  "buildUrl",
  // heartbeat, backoff
  "expired",
  "check",
  "stop",
  "reset",
  "jitter",
  "attempts",
  "duration",
  // send buffer, retry queue, ack entries (buffer entries, dropped packets with their error)
  "bytes",
  "time",
  "packet",
  "error",
  "withError",
  "queued",
  "canSend",
  "fail",
  "fresh",
  "peek",
  "expire",
  "drain",
  "onAck",
  "onDisconnect",
  "fn",
  // Manager ↔ Socket, blob queue, state
  "_packet",
  "_destroy",
  "blobs",
  "subscribe",
  // Manager → Socket events, ack/buffer records (send-buffer.ts `Pending`)
  "_onManager",
  "timer",
  "attemptTimeout",
];

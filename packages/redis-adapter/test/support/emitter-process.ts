/**
 * An external process using the official `@socket.io/redis-emitter`: `node emitter-process.js
 * <redisPort> <json list of operations>`; exits once they are published.
 */

import { Emitter } from "@socket.io/redis-emitter";
import { Redis } from "ioredis";

const [port = "6379", json = "[]"] = process.argv.slice(2);
const redis = new Redis(Number(port), "127.0.0.1");
const emitter: any = new Emitter(redis);
for (const op of JSON.parse(json) as any[]) {
  let target: any = emitter;
  if (op.to) target = target.to(op.to);
  if (op.except) target = target.except(op.except);
  if (op.kind === "emit") target.emit(op.ev, ...op.args);
  else if (op.kind === "emitBinary") target.emit(op.ev, Buffer.from(op.bytes));
  else if (op.kind === "socketsJoin") target.socketsJoin(op.room);
  else if (op.kind === "socketsLeave") target.socketsLeave(op.room);
  else if (op.kind === "disconnectSockets") target.disconnectSockets(true);
  else if (op.kind === "serverSideEmit") emitter.serverSideEmit(op.ev, ...op.args);
}
// PUBLISH replies arrive in order: once a PING answers, everything before it was published.
await redis.ping();
redis.disconnect();

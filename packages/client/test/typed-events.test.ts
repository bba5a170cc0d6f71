/**
 * Typed events: `Socket<Listen, Emit>` checks event names, arguments, acknowledgement callbacks
 * (plain, and error-first after `timeout()`), `emitWithAck` results and listener signatures.
 * The `@ts-expect-error` lines are compiled by `tsc -b` (a line that stops being an error fails
 * the build); the same calls then run against a fake platform to check what goes on the wire.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Manager, type DisconnectReason, type Socket } from "@omnio/client";
import { FakePlatform } from "./support/fake-platform.js";

interface ServerToClient {
  news: (title: string, id: number) => void;
  bin: (data: ArrayBuffer) => void;
}
interface ClientToServer {
  hello: (name: string) => void;
  add: (a: number, b: number, ack: (sum: number) => void) => void;
  info: (ack: (info: { version: string }) => void) => void;
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** `typeIs<E>()(value)` compiles only when `value`'s type is exactly `E`. */
const typeIs =
  <E>() =>
  <A>(value: A, ..._mismatch: Equal<A, E> extends true ? [] : ["type mismatch"]): A =>
    value;

/** Every call here is type-checked; the ones marked @ts-expect-error must not compile. */
function typedCalls(socket: Socket<ServerToClient, ClientToServer>): Promise<unknown>[] {
  socket.emit("hello", "ann");
  socket.emit("add", 1, 2, (sum) => typeIs<number>()(sum));
  socket.timeout(1000).emit("add", 1, 2, (err, sum) => {
    typeIs<Error>()(err);
    typeIs<number>()(sum);
  });
  // @ts-expect-error unknown event name
  socket.emit("nope", 1);
  // @ts-expect-error wrong argument type
  socket.emit("hello", 42);
  // @ts-expect-error missing argument
  socket.emit("add", 1, (sum: number) => sum);
  // @ts-expect-error ack with the wrong parameter type
  socket.emit("add", 1, 2, (sum: string) => sum);
  // @ts-expect-error after timeout() the ack is error-first
  socket.timeout(10).emit("add", 1, 2, (sum: number) => sum);

  const sum = socket.timeout(1000).emitWithAck("add", 1, 2);
  typeIs<Promise<number>>()(sum);
  const info = socket.emitWithAck("info");
  typeIs<Promise<{ version: string }>>()(info);
  // @ts-expect-error emitWithAck takes the arguments without the ack
  void socket.emitWithAck("add", 1, 2, (s: number) => s);
  // @ts-expect-error wrong argument type for emitWithAck
  void socket.emitWithAck("add", "1", 2);

  socket.on("news", (title, id) => {
    typeIs<string>()(title);
    typeIs<number>()(id);
  });
  socket.on("connect_error", (error) => typeIs<Error>()(error));
  socket.on("disconnect", (reason) => typeIs<DisconnectReason>()(reason));
  // @ts-expect-error listener with the wrong signature
  socket.on("news", (title: number) => title);
  // @ts-expect-error not a listen event
  socket.on("hello", () => {});
  return [sum, info];
}

/** Untyped sockets accept anything, and `emitWithAck<T>` still names the result. */
function untypedCalls(socket: Socket): void {
  socket.emit("anything", 1, { a: 2 }, () => {});
  socket.on("whatever", (...args) => args);
  const r = socket.emitWithAck<ArrayBuffer>("x");
  typeIs<Promise<ArrayBuffer>>()(r);
}

test("typed emits and acks go on the wire as written; emitWithAck resolves with the typed ack", async () => {
  const platform = new FakePlatform();
  const manager = new Manager("http://example.test", { platform, transports: ["websocket"] });
  const socket = manager.socket("/") as Socket<ServerToClient, ClientToServer>;
  const conn = platform.connections[0]!;
  conn.handlers.onOpen();
  conn.handlers.onMessage('0{"sid":"e","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":100000}');
  conn.handlers.onMessage('40{"sid":"s"}');
  untypedCalls(manager.socket("/"));
  conn.sent.length = 0;
  const [sum, info] = typedCalls(socket);
  const frames = conn.sent.filter((f): f is string => typeof f === "string");
  assert.equal(frames[0], '42["hello","ann"]');
  assert.match(frames[1]!, /^42\d+\["add",1,2\]$/, "the ack callback becomes an ack id");
  // The ids of emitWithAck("add", 1, 2) (the last "add" with both numbers) and of "info".
  const id = (re: RegExp): string => /^42(\d+)/.exec(frames.filter((f) => re.test(f)).at(-1)!)![1]!;
  conn.handlers.onMessage(`43${id(/\["add",1,2\]$/)}[3]`);
  conn.handlers.onMessage(`43${id(/\["info"\]$/)}[{"version":"1.0"}]`);
  assert.equal(await sum, 3);
  assert.deepEqual(await info, { version: "1.0" });
  manager.close();
});

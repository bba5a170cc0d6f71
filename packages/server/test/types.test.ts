/**
 * Type tests for `Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>`: typed
 * listeners and emits, acks, `emitWithAck`, `timeout()`, broadcast acks, `socket.data` and
 * `serverSideEmit`, with the same meaning as socket.io 4.x's typings.
 *
 * The assertions are checked by `tsc -b` (a wrong type fails the build); `// @ts-expect-error`
 * lines fail the build if they stop being errors. The runtime test at the end makes the file
 * run, and checks the typed API end to end with the official client.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as ioc } from "socket.io-client";
import { Server, type DisconnectReason, type Namespace, type RemoteSocket, type Socket } from "@omnio/server";

/** `true` only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Compile-time check that `value`'s type is exactly `T`: `expectType<string>()(name)`. A
 * mismatch asks for a second argument of type `never`, which fails to compile.
 */
function expectType<T>() {
  return <V>(_value: V, ..._mismatch: Equal<V, T> extends true ? [] : [never]): void => undefined;
}

interface ClientToServerEvents {
  hello: (name: string, age: number) => void;
  ask: (question: string, answer: (n: number) => void) => void;
}

interface ServerToClientEvents {
  news: (title: string, body: { id: number }) => void;
  question: (q: string, reply: (yes: boolean) => void) => void;
  errorFirst: (reply: (err: Error, value: string) => void) => void;
}

interface InterServerEvents {
  sync: (payload: { n: number }) => void;
  syncWithAck: (n: number, reply: (answer: string) => void) => void;
}

interface SocketData {
  user: string;
  roles: string[];
}

type TypedServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type TypedNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Never called: its body is what the compiler checks. */
function compileOnly(io: TypedServer): void {
  io.on("connection", (socket) => {
    expectType<TypedSocket>()(socket);
    // @ts-expect-error the helper itself rejects a wrong type
    expectType<Socket>()(socket);

    // ---- listening: arguments typed by ListenEvents -------------------------------------
    socket.on("hello", (name, age) => {
      expectType<string>()(name);
      expectType<number>()(age);
    });
    socket.on("ask", (question, answer) => {
      expectType<string>()(question);
      answer(42);
      // @ts-expect-error the ack takes a number
      answer("42");
    });
    // @ts-expect-error name is a string
    socket.on("hello", (name: number) => void name);
    // @ts-expect-error not a ListenEvents event
    socket.on("unknown", () => undefined);
    socket.on("disconnect", (reason) => expectType<DisconnectReason>()(reason));

    // ---- emitting: arguments typed by EmitEvents -----------------------------------------
    socket.emit("news", "title", { id: 1 });
    // @ts-expect-error body is missing
    socket.emit("news", "title");
    // @ts-expect-error id must be a number
    socket.emit("news", "title", { id: "1" });
    // @ts-expect-error not an EmitEvents event
    socket.emit("nope");
    socket.emit("question", "q?", (yes) => expectType<boolean>()(yes));
    // @ts-expect-error reserved event names cannot be emitted as user events
    socket.emit("disconnect");

    // ---- emitWithAck: resolves with the ack's (first non-error) argument ------------------
    expectType<Promise<boolean>>()(socket.emitWithAck("question", "q?"));
    expectType<Promise<string>>()(socket.emitWithAck("errorFirst"));
    // @ts-expect-error "news" has no ack
    void socket.emitWithAck("news", "title", { id: 1 });

    // ---- timeout(): acks get an error first ----------------------------------------------
    socket.timeout(1000).emit("question", "q?", (err, answer) => {
      expectType<Error>()(err);
      expectType<boolean>()(answer);
    });
    // @ts-expect-error after timeout() the ack's first argument is the error
    socket.timeout(1000).emit("question", "q?", (answer: boolean) => void answer);
    expectType<Promise<boolean>>()(socket.timeout(1000).emitWithAck("question", "q?"));

    // ---- broadcasts ------------------------------------------------------------------------
    socket.to("room").emit("news", "title", { id: 2 });
    // @ts-expect-error broadcast arguments are typed too
    socket.to("room").emit("news", 1);
    socket.broadcast.timeout(1000).emit("question", "q?", (err, answers) => {
      expectType<Error>()(err);
      expectType<boolean[]>()(answers);
    });

    // ---- socket.data -------------------------------------------------------------------------
    expectType<SocketData>()(socket.data);
    socket.data.user = "ada";
    socket.data.roles.push("admin");
    // @ts-expect-error user is a string
    socket.data.user = 1;
    // @ts-expect-error not a SocketData field
    void socket.data.missing;
  });

  // ---- io-level broadcasts: acks receive arrays, and need timeout() ---------------------------
  io.emit("news", "title", { id: 3 });
  // @ts-expect-error a broadcast with an ack needs timeout()
  io.emit("question", "q?", () => undefined);
  io.timeout(1000).emit("question", "q?", (err, answers) => {
    expectType<Error>()(err);
    expectType<boolean[]>()(answers);
  });
  expectType<Promise<boolean[]>>()(io.to("room").timeout(1000).emitWithAck("question", "q?"));

  // ---- namespaces keep the generics ----------------------------------------------------------
  const admin = io.of("/admin");
  expectType<TypedNamespace>()(admin);
  admin.on("connection", (socket) => expectType<TypedSocket>()(socket));
  io.on("new_namespace", (nsp) => expectType<TypedNamespace>()(nsp));

  // ---- fetchSockets: typed data and emits ----------------------------------------------------
  void io.fetchSockets().then((sockets) => {
    expectType<RemoteSocket<ServerToClientEvents, SocketData>[]>()(sockets);
    const first = sockets[0];
    if (first) {
      expectType<SocketData>()(first.data);
      first.emit("news", "title", { id: 4 });
      // @ts-expect-error typed emit
      first.emit("news", "title", { id: "4" });
    }
  });

  // ---- serverSideEmit: typed by ServerSideEvents ---------------------------------------------
  io.serverSideEmit("sync", { n: 1 });
  // @ts-expect-error n must be a number
  io.serverSideEmit("sync", { n: "1" });
  // @ts-expect-error not a ServerSideEvents event
  io.serverSideEmit("news", "title", { id: 1 });
  io.on("sync", (payload) => expectType<{ n: number }>()(payload));
  expectType<Promise<string[]>>()(io.serverSideEmitWithAck("syncWithAck", 1));
}

/** Without generics everything is allowed, as in socket.io. */
function compileOnlyUntyped(io: Server): void {
  io.on("connection", (socket) => {
    socket.on("anything", (...args: unknown[]) => void args);
    socket.emit("anything", 1, "two", { three: 3 });
    void socket.timeout(10).emitWithAck("anything");
    socket.data = { free: "form" };
  });
  io.serverSideEmit("anything", 1);
}

void compileOnly;
void compileOnlyUntyped;

test("a typed server works end to end with the official client", async () => {
  const http = createServer();
  const io: TypedServer = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const client = ioc(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
    forceNew: true,
    reconnection: false,
    transports: ["websocket"],
  });
  try {
    const greeted = new Promise<[string, number, SocketData]>((resolve) =>
      io.on("connection", (socket) => {
        socket.data = { user: "ada", roles: [] };
        socket.on("hello", (name, age) => resolve([name, age, socket.data]));
        socket.on("ask", (_question, answer) => answer(42));
        void socket.emitWithAck("question", "ready?").then((yes) => socket.emit("news", String(yes), { id: 7 }));
      }),
    );
    client.on("question", (_q: string, reply: (yes: boolean) => void) => reply(true));
    const news = new Promise<unknown[]>((resolve) => client.on("news", (...args: unknown[]) => resolve(args)));
    client.emit("hello", "ada", 36);
    assert.deepEqual(await greeted, ["ada", 36, { user: "ada", roles: [] }]);
    assert.equal(await client.emitWithAck("ask", "meaning?"), 42);
    assert.deepEqual(await news, ["true", { id: 7 }]);
  } finally {
    client.disconnect();
    http.closeAllConnections();
    await io.close();
  }
});

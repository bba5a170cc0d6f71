/**
 * The simulated React Native host itself (test/hosts-rn), against real `ws` and `node:http`
 * servers on 127.0.0.1: the shapes and quirks the RN platform relies on are really there.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { RNBlob } from "./hosts-rn/rn-blob.js";
import { createRNHost } from "./hosts-rn/rn-host.js";
import { sleep } from "./support/servers.js";

async function wsServer(): Promise<{ url: string; requests: IncomingMessage[]; wss: WebSocketServer }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((resolve) => wss.once("listening", resolve));
  const requests: IncomingMessage[] = [];
  wss.on("connection", (ws, req) => {
    requests.push(req);
    ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary })); // echo
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/path`, requests, wss };
}

function events(ws: { addEventListener(type: string, fn: (e: any) => void): void }): string[] {
  const seen: string[] = [];
  for (const type of ["open", "message", "error", "close"]) ws.addEventListener(type, () => seen.push(type));
  return seen;
}

describe("simulated React Native WebSocket", () => {
  test("third constructor argument's headers and the host's cookies reach the server; send before open throws", async () => {
    const srv = await wsServer();
    const host = createRNHost();
    host.network.storeCookies(srv.url.slice(5).split("/")[0]!, "lb=node-2; Path=/");
    try {
      const ws = new host.globals.WebSocket(srv.url, ["chat"], { headers: { "x-app": "rn" } });
      assert.equal(ws.readyState, ws.CONNECTING);
      assert.throws(() => ws.send("early"), /INVALID_STATE_ERR/);
      await new Promise((resolve) => (ws.onopen = resolve));
      assert.equal(srv.requests[0]?.headers["x-app"], "rn");
      assert.equal(srv.requests[0]?.headers.cookie, "lb=node-2");
      assert.equal(srv.requests[0]?.headers["sec-websocket-protocol"], "chat");
      ws.close();
    } finally {
      srv.wss.close();
    }
  });

  test("binaryType accepts only blob/arraybuffer; unset → ArrayBuffer, 'blob' → RN Blob; binaryMode blob forces Blobs", async () => {
    const srv = await wsServer();
    try {
      for (const [mode, binaryType, expectBlob] of [
        ["arraybuffer", undefined, false],
        ["arraybuffer", "blob", true],
        ["blob", "arraybuffer", true],
      ] as const) {
        const host = createRNHost({ binaryMode: mode });
        const ws = new host.globals.WebSocket(srv.url);
        assert.throws(() => {
          (ws as { binaryType: string }).binaryType = "nodebuffer";
        }, /binaryType must be either 'blob' or 'arraybuffer'/);
        if (binaryType !== undefined) ws.binaryType = binaryType;
        await new Promise((resolve) => (ws.onopen = resolve));
        const got = new Promise<unknown>((resolve) => (ws.onmessage = (e) => resolve(e.data)));
        ws.send(new Uint8Array([1, 2, 3, 4]).subarray(1, 3));
        const data = await got;
        if (expectBlob) {
          assert.ok(data instanceof RNBlob);
          assert.equal(data.size, 2);
          assert.equal((data as { arrayBuffer?: unknown }).arrayBuffer, undefined, "RN's Blob has no arrayBuffer()");
          const reader = new host.globals.FileReader!();
          const read = new Promise<unknown>((resolve) => (reader.onload = () => resolve(reader.result)));
          reader.readAsArrayBuffer(data);
          assert.deepEqual([...new Uint8Array((await read) as ArrayBuffer)], [2, 3]);
        } else {
          assert.ok(data instanceof ArrayBuffer);
          assert.deepEqual([...new Uint8Array(data)], [2, 3]);
        }
        ws.close();
      }
    } finally {
      srv.wss.close();
    }
  });

  test("a refused connection dispatches error ({ message }) then close (1006), asynchronously", async () => {
    const srv = await wsServer();
    const url = srv.url;
    await new Promise((resolve) => srv.wss.close(resolve));
    const host = createRNHost();
    const ws = new host.globals.WebSocket(url);
    const seen = events(ws);
    let message: unknown;
    let code: unknown;
    ws.onerror = (e) => (message = e.message);
    ws.onclose = (e) => (code = e.code);
    assert.deepEqual(seen, [], "nothing is dispatched synchronously");
    await sleep(300);
    assert.deepEqual(seen, ["error", "close"]);
    assert.equal(typeof message, "string");
    assert.equal(code, 1006);
    assert.equal(ws.readyState, ws.CLOSED);
  });

  test("offline: a live socket hangs (nothing either way), new ones fail; background kill → error + close", async () => {
    const srv = await wsServer();
    try {
      const host = createRNHost();
      const ws = new host.globals.WebSocket(srv.url);
      const seen = events(ws);
      await new Promise((resolve) => (ws.onopen = resolve));
      host.goOffline();
      ws.send("lost");
      await sleep(100);
      assert.deepEqual(seen, ["open"], "no echo, no close on a hanging link");
      const refused = new host.globals.WebSocket(srv.url);
      const refusedSeen = events(refused);
      await sleep(50);
      assert.deepEqual(refusedSeen, ["error", "close"]);
      host.goOnline();
      const live = new host.globals.WebSocket(srv.url);
      const liveSeen = events(live);
      await new Promise((resolve) => live.addEventListener("open", resolve));
      host.background({ kill: true });
      await sleep(50);
      assert.deepEqual(liveSeen, ["open", "error", "close"]);
      ws.close();
    } finally {
      srv.wss.close();
    }
  });
});

describe("simulated React Native XMLHttpRequest", () => {
  test("every status reaches onload; headers as lines; cookies only withCredentials; responseType text only", async () => {
    const seen: IncomingMessage[] = [];
    const http = createServer((req, res) => {
      seen.push(req);
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        res.setHeader("set-cookie", "sid=abc; Path=/");
        res.setHeader("x-echo", body);
        res.statusCode = req.url === "/bad" ? 400 : 200;
        res.end(req.url === "/bad" ? '{"code":1}' : "ok");
      });
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const host = createRNHost();
      const run = (path: string, withCredentials: boolean, body?: string) =>
        new Promise<InstanceType<typeof host.globals.XMLHttpRequest>>((resolve, reject) => {
          const xhr = new host.globals.XMLHttpRequest();
          xhr.open(body === undefined ? "GET" : "POST", base + path, true);
          xhr.withCredentials = withCredentials;
          if (body !== undefined) xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
          xhr.onload = () => resolve(xhr);
          xhr.onerror = () => reject(new Error("onerror"));
          xhr.send(body ?? null);
        });
      const bad = await run("/bad", false);
      assert.equal(bad.status, 400);
      assert.equal(bad.responseText, '{"code":1}');
      await run("/a", false);
      assert.equal(seen[1]?.headers.cookie, undefined);
      const posted = await run("/b", true, "4hello");
      assert.equal(posted.getResponseHeader("x-echo"), "4hello");
      assert.match(posted.getAllResponseHeaders(), /^x-echo: 4hello\r$/im);
      await run("/c", true);
      assert.equal(seen[3]?.headers.cookie, "sid=abc", "the cookie from /b (withCredentials) is replayed");
      await run("/d", false);
      assert.equal(seen[4]?.headers.cookie, undefined, "not without withCredentials");
      const xhr = new host.globals.XMLHttpRequest();
      assert.throws(() => (xhr.responseType = "arraybuffer"), /not supported/);
    } finally {
      http.close();
    }
  });

  test("timeout → ontimeout, abort → onabort and no onload, offline → onerror", async () => {
    const http = createServer(() => {}); // never answers
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
    try {
      const host = createRNHost();
      const outcome = (setup: (x: InstanceType<typeof host.globals.XMLHttpRequest>) => void) =>
        new Promise<string>((resolve) => {
          const xhr = new host.globals.XMLHttpRequest();
          xhr.open("GET", url);
          xhr.onload = () => resolve("load");
          xhr.onerror = () => resolve("error");
          xhr.ontimeout = () => resolve("timeout");
          xhr.onabort = () => resolve("abort");
          setup(xhr);
        });
      assert.equal(
        await outcome((x) => {
          x.timeout = 50;
          x.send();
        }),
        "timeout",
      );
      assert.equal(
        await outcome((x) => {
          x.send();
          setTimeout(() => x.abort(), 20);
        }),
        "abort",
      );
      host.goOffline();
      assert.equal(await outcome((x) => x.send()), "error");
    } finally {
      http.closeAllConnections();
      http.close();
    }
  });
});

describe("simulated AppState and NetInfo", () => {
  test("AppState subscriptions are removable; NetInfo reports the current state on subscription", async () => {
    const host = createRNHost();
    const states: string[] = [];
    const sub = host.AppState.addEventListener("change", (s) => states.push(s));
    host.background();
    await sleep(5);
    assert.equal(host.AppState.currentState, "background");
    sub.remove();
    host.foreground();
    await sleep(5);
    assert.deepEqual(states, ["background"]);
    const net: boolean[] = [];
    const off = host.NetInfo.addEventListener((s) => net.push(s.isConnected));
    await sleep(5);
    assert.deepEqual(net, [true]);
    host.goOffline();
    await sleep(5);
    off();
    host.goOnline();
    await sleep(5);
    assert.deepEqual(net, [true, false]);
  });
});

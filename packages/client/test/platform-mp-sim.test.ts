/**
 * Tests of the simulated hosts themselves (issue 4: "built here and tested itself"), driven
 * through their raw APIs against a real `ws` + `node:http` echo server: shapes and ordering of
 * callbacks, the socket cap, close-before-open modes, URL rules, request rules (every status to
 * `success`, the `dataType: "json"` pitfall, cookies, abort), Alipay's global socket and base64
 * binary, tt's string close codes, uni's callback-or-Promise rule, Taro's Promise, and the
 * lifecycle faults (background kill, suspension, silent kill, offline).
 */
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { sleep } from "./support/servers.js";
import { createAlipayHost, createTaroHost, createTtHost, createUniHost, createWxLikeHost } from "./hosts/sim-hosts.js";

let http: Server;
let wss: WebSocketServer;
let port = 0;
const seenHeaders: Record<string, string | string[] | undefined>[] = [];

before(async () => {
  http = createServer((req, res) => {
    const status = Number(/[?&]status=(\d+)/.exec(req.url ?? "")?.[1] ?? 200);
    if (req.url?.startsWith("/slow")) return void setTimeout(() => res.end("late"), 2000);
    res.writeHead(status, { "content-type": "text/plain", "set-cookie": ["lb=node-7; Path=/", "x=1; Path=/"] });
    res.end(req.url?.startsWith("/two") ? "2" : `status ${status}`);
  });
  wss = new WebSocketServer({ server: http });
  wss.on("connection", (ws, req) => {
    seenHeaders.push(req.headers);
    ws.on("message", (data, isBinary) => {
      if (!isBinary && (data as Buffer).toString("utf8") === "close-me") return ws.close(4001, "bye");
      ws.send(data, { binary: isBinary });
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  port = (http.address() as AddressInfo).port;
});
after(async () => {
  for (const c of wss.clients) c.terminate();
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
});

const ws = () => `ws://127.0.0.1:${port}/`;
const url = (path: string) => `http://127.0.0.1:${port}${path}`;
/** Resolves with the payload of the next call of the listener registered by `register`. */
const next = <T = any>(register: (l: (r: T) => void) => void, timeoutMs = 3000): Promise<T> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("timed out")), timeoutMs);
    register((r) => {
      clearTimeout(t);
      resolve(r);
    });
  });

describe("wx sim: SocketTask", () => {
  test("task returned synchronously; success before onOpen; callbacks never in the creating tick; echo text and binary", async () => {
    const { api, state } = createWxLikeHost();
    const order: string[] = [];
    const task = api.connectSocket({ url: ws(), header: { "x-app": "1" }, success: () => order.push("success") });
    const opened = next<any>((l) => task.onOpen(l));
    task.onOpen((r: any) => order.push("open:" + typeof r.header["sec-websocket-accept"]));
    order.push("tick end");
    await opened;
    await sleep(10);
    assert.deepEqual(order, ["tick end", "success", "open:string"]);
    assert.equal(seenHeaders.at(-1)?.["x-app"], "1", "header honoured");
    task.send({ data: "hi" });
    assert.equal((await next<any>((l) => task.onMessage(l))).data, "hi");
    task.send({ data: new Uint8Array([1, 2, 3]).buffer });
    const bin = (await next<any>((l) => task.onMessage(l))).data;
    assert.ok(bin instanceof ArrayBuffer);
    assert.deepEqual([...new Uint8Array(bin)], [1, 2, 3]);
    const fail = await next<any>((l) => task.send({ data: new Uint8Array([1]), fail: l }));
    assert.match(fail.errMsg, /String or ArrayBuffer/);
    task.send({ data: "close-me" });
    assert.deepEqual(await next((l) => task.onClose(l)), { code: 4001, reason: "bye" });
    assert.equal(state.sockets.size, 0);
  });

  test("send before open fails; cap refuses the N+1-th socket until one closes", async () => {
    const { api, state } = createWxLikeHost({ maxSockets: 2 });
    const a = api.connectSocket({ url: ws() });
    assert.match((await next<any>((l) => a.send({ data: "x", fail: l }))).errMsg, /not connected/);
    const b = api.connectSocket({ url: ws() });
    const c = await next<any>((l) => api.connectSocket({ url: ws(), fail: l }));
    assert.equal(c.errMsg, "connectSocket:fail exceed max task count");
    await next((l) => b.onOpen(l));
    b.close({});
    await next((l) => b.onClose(l));
    api.connectSocket({ url: ws(), fail: () => assert.fail("a slot was free") });
    assert.equal(state.peakSockets, 2);
    state.dispose();
  });

  for (const mode of ["ignored", "deferred", "immediate"] as const) {
    test(`close while connecting, closeBeforeOpen "${mode}"`, async () => {
      const { api, state } = createWxLikeHost({ closeBeforeOpen: mode });
      const task = api.connectSocket({ url: ws() });
      const events: string[] = [];
      task.onOpen(() => events.push("open"));
      task.onClose(() => events.push("close"));
      task.onError(() => events.push("error"));
      task.close({ code: 1000, reason: "" });
      await sleep(150);
      if (mode === "ignored") {
        assert.deepEqual(events, ["open"], "the close is lost: the socket stays open and counted");
        assert.equal(state.sockets.size, 1);
      } else if (mode === "deferred") {
        assert.deepEqual(events, ["open", "close"]);
        assert.equal(state.sockets.size, 0);
      } else {
        assert.ok(!events.includes("open"));
        assert.ok(events.includes("close"));
        assert.equal(state.sockets.size, 0);
      }
      state.dispose();
    });
  }

  test("URL rules: wss only and the domain whitelist (release builds)", async () => {
    const secure = createWxLikeHost({ enforceSecure: true });
    assert.match((await next<any>((l) => secure.api.connectSocket({ url: ws(), fail: l }))).errMsg, /wss/);
    const listed = createWxLikeHost({ allowedDomains: ["example.com"] });
    assert.match((await next<any>((l) => listed.api.connectSocket({ url: ws(), fail: l }))).errMsg, /domain list/);
    assert.match((await next<any>((l) => listed.api.request({ url: url("/"), fail: l }))).errMsg, /domain list/);
  });
});

describe("wx sim: request", () => {
  test("every status goes to success; dataType json turns a body of 2 into a number; text keeps it; cookies", async () => {
    const { api, requests } = createWxLikeHost();
    const r404 = await next<any>((l) => api.request({ url: url("/?status=404"), dataType: "text", success: l }));
    assert.equal(r404.statusCode, 404);
    assert.equal(r404.data, "status 404");
    assert.deepEqual(r404.cookies, ["lb=node-7; Path=/", "x=1; Path=/"]);
    const json = await next<any>((l) => api.request({ url: url("/two"), success: l }));
    assert.equal(json.data, 2, "the pitfall: JSON-parsed by default");
    const text = await next<any>((l) => api.request({ url: url("/two"), dataType: "text", success: l }));
    assert.equal(text.data, "2");
    await next<any>((l) => api.request({ url: url("/"), method: "POST", data: { a: 1 }, success: l }));
    assert.equal(requests.at(-1)?.headers["content-type"], "application/json", "JSON default content-type");
  });

  test("abort and timeout → fail", async () => {
    const { api } = createWxLikeHost();
    const task = api.request({ url: url("/slow"), fail: () => {} });
    const aborted = next<any>((l) => {
      const t = api.request({ url: url("/slow"), fail: l });
      setTimeout(() => t.abort(), 20);
    });
    assert.equal((await aborted).errMsg, "request:fail abort");
    task.abort();
    assert.equal(
      (await next<any>((l) => api.request({ url: url("/slow"), timeout: 50, fail: l }))).errMsg,
      "request:fail timeout",
    );
  });
});

describe("lifecycle faults", () => {
  test("background → onAppHide; kill after backgroundKillMs: sockets {1000, interrupted}, requests interrupted; suspended until show", async () => {
    const { api, state } = createWxLikeHost({ backgroundKillMs: 80, resumeLagMs: 100 });
    const hidden = next((l) => api.onAppHide(l));
    const task = api.connectSocket({ url: ws() });
    await next((l) => task.onOpen(l));
    const closed = next((l) => task.onClose(l));
    const interrupted = next<any>((l) => api.request({ url: url("/slow"), fail: l }));
    state.background();
    await hidden;
    assert.deepEqual(await closed, { code: 1000, reason: "interrupted" });
    assert.equal((await interrupted).errMsg, "request:fail interrupted");
    const refused = await next<any>((l) => api.connectSocket({ url: ws(), fail: l }));
    assert.match(refused.errMsg, /suspend/);
    const shown = next((l) => api.onAppShow(l));
    state.foreground();
    await shown;
    assert.match((await next<any>((l) => api.request({ url: url("/"), fail: l }))).errMsg, /suspend/, "resume lag");
    await sleep(120);
    await next((l) => api.request({ url: url("/"), success: l }));
  });

  test("silentKill: no onClose at all; offline: onNetworkStatusChange and 1006 closes, connects refused", async () => {
    const silent = createWxLikeHost({ backgroundKillMs: 10, silentKill: true });
    const t = silent.api.connectSocket({ url: ws() });
    await next((l) => t.onOpen(l));
    let closes = 0;
    t.onClose(() => closes++);
    silent.state.background();
    await sleep(100);
    assert.equal(closes, 0);
    assert.equal(silent.state.sockets.size, 0);
    const { api, state } = createWxLikeHost();
    const task = api.connectSocket({ url: ws() });
    await next((l) => task.onOpen(l));
    const status = next<any>((l) => api.onNetworkStatusChange(l));
    const closed = next<any>((l) => task.onClose(l));
    state.setNetwork(false);
    assert.deepEqual(await status, { isConnected: false, networkType: "none" });
    assert.equal((await closed).code, 1006);
    assert.match((await next<any>((l) => api.connectSocket({ url: ws(), fail: l }))).errMsg, /offline/);
  });
});

describe("other host shapes", () => {
  test("tt: readyState moves CONNECTING → OPEN → CLOSED; close code is a string", async () => {
    const { api } = createTtHost();
    const task = api.connectSocket({ url: ws() });
    assert.equal(task.readyState, 0);
    const open = await next<any>((l) => task.onOpen(l));
    assert.equal(open.socketType, "tradition");
    assert.equal(task.readyState, 1);
    task.send({ data: "close-me" });
    const close = await next<any>((l) => task.onClose(l));
    assert.equal(close.code, "4001");
    assert.equal(task.readyState, 3);
  });

  test("my: multiple:true → task with nested payloads and base64 binary; default → global socket", async () => {
    const { api } = createAlipayHost();
    const task = api.connectSocket({ url: ws(), multiple: true });
    const open = await next<any>((l) => task.onOpen(l));
    assert.deepEqual(open, { data: { socketTaskID: 1 } });
    const fail = await next<any>((l) => task.send({ data: new Uint8Array([1]).buffer, fail: l }));
    assert.equal(fail.error, 10);
    task.send({ data: "AQID", isBuffer: true });
    const msg = await next<any>((l) => task.onMessage(l));
    assert.deepEqual(msg.data.data, "AQID");
    assert.equal(msg.data.isBuffer, true);
    task.send({ data: "close-me" });
    assert.deepEqual(await next((l) => task.onClose(l)), { data: { socketTaskID: 1 } }, "no code on Alipay");
    assert.equal(api.connectSocket({ url: ws() }), undefined, "default mode returns nothing");
    await next((l) => api.onSocketOpen(l));
    api.sendSocketMessage({ data: "flat" });
    assert.deepEqual(await next((l) => api.onSocketMessage(l)), { data: "flat", isBuffer: false });
    api.closeSocket();
    await next((l) => api.onSocketClose(l));
  });

  test("my.request: headers/status spelling; default dataType json fails (14) on a non-JSON body; httpErrorFails → 19", async () => {
    const { api, requests } = createAlipayHost({ httpErrorFails: true });
    const ok = await next<any>((l) =>
      api.request({ url: url("/"), headers: { a: "1" }, dataType: "text", success: l }),
    );
    assert.equal(ok.status, 200);
    assert.equal(ok.headers["content-type"], "text/plain");
    assert.equal(requests.at(-1)?.headers.a, "1");
    assert.equal((await next<any>((l) => api.request({ url: url("/"), fail: l }))).error, 14);
    assert.equal(
      (await next<any>((l) => api.request({ url: url("/?status=400"), dataType: "text", fail: l }))).error,
      19,
    );
  });

  test("uni: a task only when a callback is passed, a Promise otherwise; H5 drops headers and gives {} payloads", async () => {
    const uni = createUniHost("h5");
    const promise = uni.api.connectSocket({ url: ws() });
    assert.equal(typeof (promise as Promise<unknown>).then, "function");
    await promise;
    const task = uni.api.connectSocket({ url: ws(), header: { "x-app": "h5" }, complete: () => {} });
    assert.equal(typeof task.onOpen, "function");
    assert.deepEqual(await next((l) => task.onOpen(l)), {});
    assert.equal(seenHeaders.at(-1)?.["x-app"], undefined, "header ignored on H5");
    task.send({ data: "close-me" });
    assert.deepEqual(await next((l) => task.onClose(l)), {});
    uni.state.dispose();
  });

  test("uni App: a failed connection fires onError only; readyState starts CLOSED", async () => {
    const { api } = createUniHost("app");
    const task = api.connectSocket({ url: "ws://127.0.0.1:1/", complete: () => {} });
    assert.equal(task.readyState, 3);
    let closes = 0;
    task.onClose(() => closes++);
    assert.deepEqual(await next((l) => task.onError(l)), {});
    await sleep(50);
    assert.equal(closes, 0);
  });

  test("Taro: connectSocket returns a Promise of the task, resolved after success, before onOpen", async () => {
    const { api, state } = createTaroHost("weapp");
    const order: string[] = [];
    const pending = api.connectSocket({ url: ws(), success: () => order.push("success") });
    const task: any = await pending;
    order.push("resolved");
    await next((l) => task.onOpen(l));
    assert.deepEqual(order, ["success", "resolved"]);
    state.dispose();
  });
});

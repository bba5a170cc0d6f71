/**
 * A failed polling POST ends the transport at once: the held GET is aborted, not left open until
 * its timeout (a browser allows only a few connections per host). Scripted HTTP, real timers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EngineSocket, type HttpHandlers, type HttpRequest, type Platform } from "@omnio/client";
import { once } from "@omnio/testkit";

interface Call {
  request: HttpRequest;
  handlers: HttpHandlers;
  aborted: boolean;
}

function scriptedHttp(): { platform: Platform; calls: Call[] } {
  const calls: Call[] = [];
  const platform: Platform = {
    name: "scripted-http",
    createSocket: undefined,
    request: (request, handlers) => {
      const call: Call = { request, handlers, aborted: false };
      calls.push(call);
      return { abort: () => void (call.aborted = true) };
    },
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    now: () => Date.now(),
    toArrayBuffer: () => undefined,
  };
  return { platform, calls };
}

const HANDSHAKE = '0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

test("a POST answered with 500 aborts the held GET and closes with a POLLING_ERROR", async () => {
  const { platform, calls } = scriptedHttp();
  const engine = new EngineSocket("http://127.0.0.1:9", { platform, transports: ["polling"] });
  assert.equal(calls.length, 1);
  calls[0]!.handlers.onResponse({ status: 200, headers: {}, body: HANDSHAKE });
  assert.equal(engine.readyState, "open");
  const held = calls[1]!;
  assert.equal(held.request.method, "GET");
  const closed = once(engine, "close");
  const errors: unknown[] = [];
  engine.on("error", (err) => errors.push(err));
  engine.send("hello");
  const post = calls[2]!;
  assert.equal(post.request.method, "POST");
  post.handlers.onResponse({ status: 500, headers: {}, body: "" });
  const [reason] = (await closed) as [string];
  assert.equal(reason, "transport error");
  assert.equal(held.aborted, true, "the held GET is aborted");
  assert.equal((errors[0] as { code?: string }).code, "POLLING_ERROR");
  assert.equal(calls.length, 3, "no request after the failure");
});

test("a failed GET closes the transport without a new request", async () => {
  const { platform, calls } = scriptedHttp();
  const engine = new EngineSocket("http://127.0.0.1:9", { platform, transports: ["polling"] });
  calls[0]!.handlers.onResponse({ status: 200, headers: {}, body: HANDSHAKE });
  const closed = once(engine, "close");
  engine.on("error", () => {});
  calls[1]!.handlers.onError(new Error("network down"));
  const [reason] = (await closed) as [string];
  assert.equal(reason, "transport error");
  assert.equal(calls.length, 2);
});

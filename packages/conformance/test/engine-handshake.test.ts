/**
 * Engine.IO v4 handshake (protocol v4 "Handshake"; reference §2.1): the open packet, the
 * response headers and every option that changes the first response.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { packets, readOpen, send, SEP } from "./support/raw.js";
import { once } from "./support/sio.js";
import { withServer } from "./support/server.js";

const SID = /^[A-Za-z0-9_-]{20}$/;

describe("Engine.IO handshake", { concurrency: true }, () => {
  it("answers the first polling GET with an open packet carrying the session parameters", async () => {
    await withServer({}, async ({ raw }) => {
      const res = await raw.get();
      assert.equal(res.status, 200);
      const [open, ...rest] = packets(res.body);
      assert.deepEqual(rest, []);
      assert.ok(open !== undefined && open.startsWith("0"), res.body);
      const data = JSON.parse(open.slice(1)) as { sid: string };
      assert.match(data.sid, SID);
      // Field order is part of the wire format socket.io produces.
      assert.equal(
        open,
        "0" +
          JSON.stringify({
            sid: data.sid,
            upgrades: ["websocket"],
            pingInterval: 25000,
            pingTimeout: 20000,
            maxPayload: 1000000,
          }),
      );
    });
  });

  it("sends text/plain UTF-8, Content-Length and cache-control: no-store", async () => {
    await withServer({}, async ({ raw }) => {
      const res = await raw.get();
      assert.equal(res.headers["content-type"], "text/plain; charset=UTF-8");
      assert.equal(res.headers["content-length"], String(res.bytes.length));
      assert.equal(res.headers["cache-control"], "no-store");
      assert.equal(res.headers["set-cookie"], undefined);
      assert.equal(res.headers["access-control-allow-origin"], undefined);
    });
  });

  it("gives every session a different URL-safe 20-character id", async () => {
    await withServer({}, async ({ raw }) => {
      const sids = await Promise.all(Array.from({ length: 20 }, async () => (await raw.handshake()).sid));
      for (const sid of sids) assert.match(sid, SID);
      assert.equal(new Set(sids).size, sids.length);
    });
  });

  it("advertises pingInterval, pingTimeout and maxPayload (= maxHttpBufferSize) from the options", async () => {
    await withServer({ pingInterval: 12345, pingTimeout: 6789, maxHttpBufferSize: 4321 }, async ({ raw }) => {
      const { open } = await raw.handshake();
      assert.equal(open.pingInterval, 12345);
      assert.equal(open.pingTimeout, 6789);
      assert.equal(open.maxPayload, 4321);
    });
  });

  it("advertises no upgrade when allowUpgrades is false", async () => {
    await withServer({ allowUpgrades: false }, async ({ raw }) => {
      assert.deepEqual((await raw.handshake()).open.upgrades, []);
    });
  });

  it("advertises no upgrade when websocket is not an enabled transport", async () => {
    await withServer({ transports: ["polling"] }, async ({ raw }) => {
      assert.deepEqual((await raw.handshake()).open.upgrades, []);
    });
  });

  it("opens a WebSocket-only session with the open packet as first frame and no upgrades", async () => {
    await withServer({ pingInterval: 1000, pingTimeout: 500, maxHttpBufferSize: 777 }, async ({ raw }) => {
      const ws = await raw.ws();
      try {
        const open = await readOpen(ws);
        assert.match(open.sid, SID);
        assert.deepEqual(open, { sid: open.sid, upgrades: [], pingInterval: 1000, pingTimeout: 500, maxPayload: 777 });
      } finally {
        ws.terminate();
      }
    });
  });

  it("refuses a polling handshake when only websocket is enabled, and accepts the WebSocket one", async () => {
    await withServer({ transports: ["websocket"] }, async ({ raw }) => {
      const res = await raw.get();
      assert.equal(res.status, 400);
      assert.equal(res.body, '{"code":0,"message":"Transport unknown"}');
      const ws = await raw.ws();
      try {
        assert.deepEqual((await readOpen(ws)).upgrades, []);
      } finally {
        ws.terminate();
      }
    });
  });

  it("refuses a WebSocket when only polling is enabled", async () => {
    await withServer({ transports: ["polling"] }, async ({ raw }) => {
      await assert.rejects(raw.ws());
    });
  });

  it("sends initialPacket as a message right after the open packet (polling)", async () => {
    await withServer({ initialPacket: "hello" }, async ({ raw }) => {
      const { rest, res } = await raw.handshake();
      assert.deepEqual(rest, ["4hello"]);
      assert.ok(res.body.includes(SEP + "4hello"));
    });
  });

  it("sends initialPacket as the second frame (WebSocket)", async () => {
    await withServer({ initialPacket: "hello" }, async ({ raw }) => {
      const ws = await raw.ws();
      try {
        await readOpen(ws);
        assert.equal(await ws.nextText(), "4hello");
      } finally {
        ws.terminate();
      }
    });
  });

  describe("cookie option", { concurrency: true }, () => {
    it("sets io=<sid>; Path=/; HttpOnly; SameSite=Lax on the polling handshake only", async () => {
      await withServer({ cookie: true }, async ({ raw }) => {
        const { sid, res } = await raw.handshake();
        assert.deepEqual(res.headers["set-cookie"], [`io=${sid}; Path=/; HttpOnly; SameSite=Lax`]);
        // The session's later responses carry no cookie.
        const pushed = await raw.push(sid, "40");
        assert.equal(pushed.status, 200);
        assert.equal(pushed.headers["set-cookie"], undefined);
        const poll = await raw.poll(sid);
        assert.equal(poll.status, 200);
        assert.equal(poll.headers["set-cookie"], undefined);
      });
    });

    it("sets no cookie on the 101 answer of a WebSocket handshake (as engine.io 6.6.13)", async () => {
      // engine.io adds the cookie from the polling transport's `headers` event only; a
      // WebSocket-only session gets none (checked against socket.io 4.8.4).
      await withServer({ cookie: true }, async ({ raw }) => {
        const ws = await raw.ws();
        try {
          await readOpen(ws);
          assert.equal(ws.upgradeHeaders["set-cookie"], undefined);
        } finally {
          ws.terminate();
        }
      });
    });

    it("honours name, path, httpOnly and sameSite", async () => {
      await withServer(
        { cookie: { name: "woot", path: "/custom", httpOnly: false, sameSite: "strict" } },
        async ({ raw }) => {
          const { sid, res } = await raw.handshake();
          assert.deepEqual(res.headers["set-cookie"], [`woot=${sid}; Path=/custom; SameSite=Strict`]);
        },
      );
    });

    it("omits Path when path is false", async () => {
      await withServer({ cookie: { path: false } }, async ({ raw }) => {
        const { sid, res } = await raw.handshake();
        assert.deepEqual(res.headers["set-cookie"], [`io=${sid}; HttpOnly; SameSite=Lax`]);
      });
    });
  });

  describe("cors option", { concurrency: true }, () => {
    const cors = { origin: "https://example.com", credentials: true };

    it("answers a preflight with 204 and the Access-Control-Allow-* headers", async () => {
      await withServer({ cors }, async ({ raw }) => {
        const res = await raw.request(
          {},
          {
            method: "OPTIONS",
            headers: { Origin: "https://example.com", "Access-Control-Request-Headers": "x-custom" },
          },
        ).response;
        assert.equal(res.status, 204);
        assert.equal(res.headers["access-control-allow-origin"], "https://example.com");
        assert.equal(res.headers["access-control-allow-credentials"], "true");
        assert.equal(res.headers["access-control-allow-methods"], "GET,HEAD,PUT,PATCH,POST,DELETE");
        assert.equal(res.headers["access-control-allow-headers"], "x-custom");
        assert.equal(res.body, "");
      });
    });

    it("adds the headers to the handshake, to later polls and to error responses", async () => {
      await withServer({ cors }, async ({ raw }) => {
        const origin = { Origin: "https://example.com" };
        const hs = await raw.get({}, origin);
        assert.equal(hs.status, 200);
        assert.equal(hs.headers["access-control-allow-origin"], "https://example.com");
        assert.equal(hs.headers["access-control-allow-credentials"], "true");
        const sid = (JSON.parse(packets(hs.body)[0]!.slice(1)) as { sid: string }).sid;
        const post = await raw.push(sid, "6", origin);
        assert.equal(post.body, "ok");
        assert.equal(post.headers["access-control-allow-origin"], "https://example.com");
        const err = await raw.get({ transport: "abc" }, origin);
        assert.equal(err.status, 400);
        assert.equal(err.headers["access-control-allow-origin"], "https://example.com");
        assert.equal(err.headers["access-control-allow-credentials"], "true");
      });
    });

    it("reflects the request origin with origin: true", async () => {
      await withServer({ cors: { origin: true } }, async ({ raw }) => {
        const res = await raw.get({}, { Origin: "https://a.example" });
        assert.equal(res.headers["access-control-allow-origin"], "https://a.example");
      });
    });

    it("sends no CORS headers without the option", async () => {
      await withServer({}, async ({ raw }) => {
        const res = await raw.get({}, { Origin: "https://example.com" });
        assert.equal(res.status, 200);
        assert.equal(res.headers["access-control-allow-origin"], undefined);
      });
    });
  });

  describe("path and addTrailingSlash", { concurrency: true }, () => {
    it("serves a custom path and leaves the default one to the HTTP server", async () => {
      await withServer({ path: "/custom" }, async ({ raw }) => {
        assert.equal(raw.path, "/custom/");
        await raw.handshake();
        const other = await raw.request({}).response;
        assert.equal(other.status, 200);
        const def = await send(raw.port, "/socket.io/?EIO=4&transport=polling").response;
        assert.equal(def.status, 404);
      });
    });

    it("requires the trailing slash by default", async () => {
      await withServer({}, async ({ raw }) => {
        const res = await send(raw.port, "/socket.io?EIO=4&transport=polling").response;
        assert.equal(res.status, 404);
      });
    });

    it("matches the path without a trailing slash when addTrailingSlash is false", async () => {
      await withServer({ addTrailingSlash: false }, async ({ raw }) => {
        assert.equal(raw.path, "/socket.io");
        const { open } = await raw.handshake();
        assert.match(open.sid, SID);
        const ws = await raw.ws();
        try {
          assert.match((await readOpen(ws)).sid, SID);
        } finally {
          ws.terminate();
        }
      });
    });
  });

  describe("allowRequest", { concurrency: true }, () => {
    it("answers 403 with code 4 and the given message when it rejects", async () => {
      await withServer({ allowRequest: (_req, cb) => cb("thou shall not pass", false) }, async ({ raw }) => {
        const res = await raw.get();
        assert.equal(res.status, 403);
        assert.equal(res.headers["content-type"], "application/json");
        assert.equal(res.body, '{"code":4,"message":"thou shall not pass"}');
      });
    });

    it("answers 403 Forbidden when it rejects without a message", async () => {
      await withServer({ allowRequest: (_req, cb) => cb(null, false) }, async ({ raw }) => {
        const res = await raw.get();
        assert.equal(res.status, 403);
        assert.equal(res.body, '{"code":4,"message":"Forbidden"}');
      });
    });

    it("refuses a WebSocket handshake with a raw 400 and the message", async () => {
      await withServer({ allowRequest: (_req, cb) => cb("nope", false) }, async ({ raw }) => {
        const answer = await raw.rawUpgrade();
        assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
        assert.ok(answer.endsWith("\r\n\r\nnope"), answer);
      });
    });

    it("is consulted on the handshake only, and sees the request", async () => {
      const urls: string[] = [];
      const allowRequest = (req: unknown, cb: (err: string | null, ok: boolean) => void): void => {
        urls.push((req as { url: string }).url);
        cb(null, true);
      };
      await withServer({ allowRequest }, async ({ raw }) => {
        const { sid } = await raw.handshake({ foo: "bar" });
        await raw.pushOk(sid, "40");
        const poll = await raw.poll(sid);
        assert.equal(poll.status, 200);
        assert.equal(urls.length, 1);
        assert.ok(urls[0]!.includes("foo=bar"));
      });
    });
  });

  describe("headers events", { concurrency: true }, () => {
    it("initial_headers adds headers to the handshake only; headers to every response", async () => {
      await withServer({}, async ({ io, raw }) => {
        io.engine.on("initial_headers", (headers) => {
          headers["x-initial"] = "first";
        });
        io.engine.on("headers", (headers) => {
          headers["x-every"] = "always";
        });
        const { sid, res } = await raw.handshake();
        assert.equal(res.headers["x-initial"], "first");
        assert.equal(res.headers["x-every"], "always");
        const post = await raw.push(sid, "40");
        assert.equal(post.headers["x-initial"], undefined);
        assert.equal(post.headers["x-every"], "always");
        const poll = await raw.poll(sid);
        assert.equal(poll.headers["x-initial"], undefined);
        assert.equal(poll.headers["x-every"], "always");
      });
    });

    it("both events add headers to the 101 answer of a WebSocket handshake", async () => {
      await withServer({}, async ({ io, raw }) => {
        io.engine.on("initial_headers", (headers) => {
          headers["x-initial"] = "first";
        });
        io.engine.on("headers", (headers) => {
          headers["x-every"] = "always";
        });
        const ws = await raw.ws();
        try {
          assert.equal(ws.upgradeHeaders["x-initial"], "first");
          assert.equal(ws.upgradeHeaders["x-every"], "always");
        } finally {
          ws.terminate();
        }
      });
    });

    it("headers (not initial_headers) reaches the 101 answer of an upgrade", async () => {
      await withServer({}, async ({ io, raw }) => {
        let initial = 0;
        io.engine.on("initial_headers", () => initial++);
        io.engine.on("headers", (headers) => {
          headers["x-every"] = "always";
        });
        const { sid } = await raw.handshake();
        assert.equal(initial, 1);
        const ws = await raw.ws({ sid });
        try {
          assert.equal(ws.upgradeHeaders["x-every"], "always");
          assert.equal(initial, 1);
        } finally {
          ws.terminate();
        }
      });
    });
  });

  describe("connection_error event", { concurrency: true }, () => {
    it("reports the request, code, message and context of a refused request", async () => {
      await withServer({}, async ({ io, raw }) => {
        const event = once<[{ req: { url: string }; code: number; message: string; context: Record<string, unknown> }]>(
          io.engine,
          "connection_error",
        );
        const res = await raw.get({ transport: "abc" });
        assert.equal(res.status, 400);
        const [err] = await event;
        assert.equal(err.code, 0);
        assert.equal(err.message, "Transport unknown");
        assert.deepEqual({ ...err.context }, { transport: "abc" });
        assert.ok(err.req.url.includes("transport=abc"));
      });
    });

    it("reports an unknown sid with the sid as context", async () => {
      await withServer({}, async ({ io, raw }) => {
        const event = once<[{ code: number; message: string; context: Record<string, unknown> }]>(
          io.engine,
          "connection_error",
        );
        await raw.get({ sid: "nope" });
        const [err] = await event;
        assert.equal(err.code, 1);
        assert.equal(err.message, "Session ID unknown");
        assert.deepEqual({ ...err.context }, { sid: "nope" });
      });
    });

    it("reports a rejected WebSocket upgrade", async () => {
      await withServer({}, async ({ io, raw }) => {
        const event = once<[{ code: number; message: string; context: Record<string, unknown> }]>(
          io.engine,
          "connection_error",
        );
        await raw.rawUpgrade({ sid: "nope" });
        const [err] = await event;
        assert.equal(err.code, 1);
        assert.equal(err.message, "Session ID unknown");
      });
    });

    it("reports an unsupported protocol version", async () => {
      await withServer({}, async ({ io, raw }) => {
        const event = once<[{ code: number; message: string; context: Record<string, unknown> }]>(
          io.engine,
          "connection_error",
        );
        await raw.get({ EIO: "3" });
        const [err] = await event;
        assert.equal(err.code, 5);
        assert.equal(err.message, "Unsupported protocol version");
        assert.deepEqual({ ...err.context }, { protocol: 3 });
      });
    });
  });
});

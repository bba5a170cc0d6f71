/**
 * Attaching next to other request handlers: an Express app behind `http.createServer(app)`, a
 * plain request handler, and the TypeError for an Express app passed where a server belongs
 * (reference §1.2 `io.attach`: "throws if given an express handler function").
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server as HttpServer } from "node:http";
import express from "express";
import { Server } from "@omnio/server";
import { echo, listen, roundTrip, TRANSPORTS } from "./support/attach.js";

describe("attach: alongside other request handlers", { concurrency: true }, () => {
  for (const transport of TRANSPORTS) {
    test(`[${transport}] Express: its routes still answer, socket.io paths go to omnio`, async () => {
      const app = express();
      const seenByExpress: string[] = [];
      app.use((req, _res, next) => {
        seenByExpress.push(req.path);
        next();
      });
      app.get("/hello", (_req, res) => {
        res.json({ hello: "world" });
      });
      app.post("/items", express.json(), (req, res) => {
        res.status(201).json({ got: req.body as unknown });
      });
      const http = createServer(app);
      const io = new Server(http);
      try {
        echo(io);
        const port = await listen(http);
        const url = `http://127.0.0.1:${port}`;
        assert.equal(await roundTrip(url, transport), transport);

        const hello = await fetch(`${url}/hello`);
        assert.equal(hello.status, 200);
        assert.deepEqual(await hello.json(), { hello: "world" });
        const created = await fetch(`${url}/items`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ a: 1 }),
        });
        assert.equal(created.status, 201);
        assert.deepEqual(await created.json(), { got: { a: 1 } });
        const missing = await fetch(`${url}/nowhere`);
        assert.equal(missing.status, 404, "Express's own 404");
        assert.match(await missing.text(), /Cannot GET \/nowhere/);

        assert.deepEqual(seenByExpress, ["/hello", "/items", "/nowhere"], "Express never saw an engine request");
      } finally {
        http.closeAllConnections();
        await io.close();
      }
    });

    test(`[${transport}] a plain request handler passed to createServer keeps serving other paths`, async () => {
      const http = createServer((req, res) => {
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.end(`plain ${req.method} ${req.url}`);
      });
      const io = new Server(http);
      try {
        echo(io);
        const port = await listen(http);
        const url = `http://127.0.0.1:${port}`;
        assert.equal(await roundTrip(url, transport), transport);
        const other = await fetch(`${url}/some/page?x=1`);
        assert.equal(other.status, 200);
        assert.equal(await other.text(), "plain GET /some/page?x=1");
        // A path that only starts like the engine's is not the engine's (`addTrailingSlash`).
        const near = await fetch(`${url}/socket.iox/?EIO=4&transport=polling`);
        assert.equal(await near.text(), "plain GET /socket.iox/?EIO=4&transport=polling");
      } finally {
        http.closeAllConnections();
        await io.close();
      }
    });
  }

  test("passing an Express app instead of a server throws a TypeError with a clear sentence", () => {
    const app = express();
    // The app is a function with EventEmitter methods; the cast stands for a plain-JS caller.
    const misused = app as unknown as HttpServer;
    const expected = {
      name: "TypeError",
      message:
        /^You are trying to attach \S+ to an express request handler function\. Please pass an? http\.Server instance\.$/,
    };
    assert.throws(() => new Server(misused), expected);
    assert.throws(() => new Server(misused, { path: "/x" }), expected);
    assert.throws(() => new Server().attach(misused), expected);
    assert.throws(() => new Server().listen(misused), expected);
  });
});

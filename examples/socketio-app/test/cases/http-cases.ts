/** Scenarios over plain HTTP (status page, Engine.IO errors, CORS): run once on each server. */
import type { Case } from "../support/harness.js";

function headerSubset(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(headers).sort()) {
    if (name.startsWith("access-control-") || name === "vary") out[name] = headers[name];
  }
  return out;
}

export const HTTP_CASES: Case[] = [
  {
    name: "status page, 404 and Engine.IO errors on plain HTTP",
    async run(ctx) {
      const page = await ctx.http("GET", "/");
      return {
        page: {
          status: page.status,
          type: page.headers["content-type"],
          body: page.body.replace(/<span id="uptime">\d+<\/span>/, '<span id="uptime">N</span>'),
        },
        missing: await ctx.http("GET", "/missing").then((r) => [r.status, r.body]),
        noTransport: await ctx.http("GET", "/socket.io/").then((r) => [r.status, r.body]),
        badSession: await ctx
          .http("GET", "/socket.io/?EIO=4&transport=polling&sid=nope")
          .then((r) => [r.status, r.body]),
      };
    },
    expected: {
      page: {
        status: 200,
        type: "text/html; charset=utf-8",
        body: `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>socketio-app status</title></head>
<body>
<h1>socketio-app status</h1>
<ul>
<li>connections: <span id="connections">0</span></li>
<li>main namespace sockets: <span id="main">0</span></li>
<li>chat sockets: <span id="chat">0</span></li>
<li>uptime: <span id="uptime">N</span> s</li>
</ul>
<table><thead><tr><th>room</th><th>members</th></tr></thead><tbody></tbody></table>
</body>
</html>
`,
      },
      missing: [404, "not found\n"],
      noTransport: [400, '{"code":0,"message":"Transport unknown"}'],
      badSession: [400, '{"code":1,"message":"Session ID unknown"}'],
    },
  },
  {
    name: "cors option: preflight and handshake for an allowed and a refused origin",
    async run(ctx) {
      const path = "/socket.io/?EIO=4&transport=polling";
      const preflight = (origin: string, requestHeaders?: string) =>
        ctx.http("OPTIONS", path, {
          Origin: origin,
          "Access-Control-Request-Method": "POST",
          ...(requestHeaders ? { "Access-Control-Request-Headers": requestHeaders } : {}),
        });
      const allowed = await preflight("http://localhost:5173", "content-type");
      const noHeaders = await preflight("http://localhost:5173");
      const refused = await preflight("http://evil.example", "content-type");
      const handshake = await ctx.http("GET", path, { Origin: "http://localhost:5173" });
      const refusedHandshake = await ctx.http("GET", path, { Origin: "http://evil.example" });
      const open = JSON.parse(handshake.body.slice(1)) as Record<string, unknown>;
      return {
        allowed: [allowed.status, headerSubset(allowed.headers)],
        noHeaders: [noHeaders.status, headerSubset(noHeaders.headers)],
        refused: [refused.status, headerSubset(refused.headers)],
        handshake: [handshake.status, headerSubset(handshake.headers), handshake.body[0], open],
        refusedHandshake: [refusedHandshake.status, headerSubset(refusedHandshake.headers)],
      };
    },
    expected: {
      allowed: [
        204,
        {
          "access-control-allow-credentials": "true",
          "access-control-allow-headers": "content-type",
          "access-control-allow-methods": "GET,HEAD,PUT,PATCH,POST,DELETE",
          "access-control-allow-origin": "http://localhost:5173",
          vary: "Origin, Access-Control-Request-Headers",
        },
      ],
      noHeaders: [
        204,
        {
          "access-control-allow-credentials": "true",
          "access-control-allow-methods": "GET,HEAD,PUT,PATCH,POST,DELETE",
          "access-control-allow-origin": "http://localhost:5173",
          vary: "Origin, Access-Control-Request-Headers",
        },
      ],
      refused: [
        204,
        {
          "access-control-allow-credentials": "true",
          "access-control-allow-headers": "content-type",
          "access-control-allow-methods": "GET,HEAD,PUT,PATCH,POST,DELETE",
          vary: "Origin, Access-Control-Request-Headers",
        },
      ],
      handshake: [
        200,
        {
          "access-control-allow-credentials": "true",
          "access-control-allow-origin": "http://localhost:5173",
          vary: "Origin",
        },
        "0",
        {
          sid: "<sid>",
          upgrades: ["websocket"],
          pingInterval: 25000,
          pingTimeout: 20000,
          maxPayload: Math.ceil((512 * 1024 * 4) / 3) + 64 * 1024,
        },
      ],
      refusedHandshake: [200, { "access-control-allow-credentials": "true", vary: "Origin" }],
    },
  },
];

/**
 * Engine.IO HTTP errors (reference §2.1 error table): exact JSON bodies and statuses of
 * codes 0–5, and the raw `HTTP/1.1 400` answers to refused WebSocket upgrades.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readOpen, WAIT_MS, type HttpResult, type Query } from "./support/raw.js";
import { withServer } from "./support/server.js";

const BODIES = {
  0: '{"code":0,"message":"Transport unknown"}',
  1: '{"code":1,"message":"Session ID unknown"}',
  2: '{"code":2,"message":"Bad handshake method"}',
  3: '{"code":3,"message":"Bad request"}',
  5: '{"code":5,"message":"Unsupported protocol version"}',
} as const;

function assertError(res: HttpResult, code: keyof typeof BODIES): void {
  assert.equal(res.status, 400, res.body);
  assert.equal(res.headers["content-type"], "application/json");
  assert.equal(res.body, BODIES[code]);
}

/** A raw upgrade answer: status line 400 and the message as body. */
function assertUpgradeError(answer: string, message: string): void {
  assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/, answer);
  assert.match(answer, /\r\nContent-type: text\/html\r\n/i);
  assert.match(answer, new RegExp(`\\r\\nContent-Length: ${Buffer.byteLength(message)}\\r\\n`, "i"));
  assert.ok(answer.endsWith("\r\n\r\n" + message), answer);
}

describe("Engine.IO HTTP errors", { concurrency: true }, () => {
  const transportCases: Array<[string, Query]> = [
    ["an unknown transport", { transport: "abc" }],
    ["transport=constructor (not an own key)", { transport: "constructor" }],
    ["transport=__proto__", { transport: "__proto__" }],
    ["transport=webtransport over HTTP", { transport: "webtransport" }],
    ["a missing transport", { transport: undefined }],
  ];
  for (const [name, query] of transportCases) {
    it(`code 0 for ${name}`, async () => {
      await withServer({}, async ({ raw }) => assertError(await raw.get(query), 0));
    });
  }

  it("code 0 takes precedence over a missing EIO", async () => {
    await withServer({}, async ({ raw }) => assertError(await raw.get({ EIO: undefined, transport: "abc" }), 0));
  });

  it("code 1 for an unknown sid, on GET and POST", async () => {
    await withServer({}, async ({ raw }) => {
      assertError(await raw.get({ sid: "nope" }), 1);
      assertError(await raw.push("nope", "4hello"), 1);
    });
  });

  it("code 2 for a handshake that is not a GET", async () => {
    await withServer({}, async ({ raw }) => {
      const post = await raw.request({}, { method: "POST", body: "4hello" }).response;
      assertError(post, 2);
      const put = await raw.request({}, { method: "PUT", body: "" }).response;
      assertError(put, 2);
    });
  });

  it("code 3 for transport=websocket as a plain GET", async () => {
    await withServer({}, async ({ raw }) => assertError(await raw.get({ transport: "websocket" }), 3));
  });

  it("code 3 for a polling request with transport=websocket on a polling session", async () => {
    await withServer({}, async ({ raw }) => {
      const { sid } = await raw.handshake();
      assertError(await raw.get({ sid, transport: "websocket" }), 3);
    });
  });

  it("code 3 for a request whose EIO differs from the session's (PROTOCOL_MISMATCH)", async () => {
    await withServer({ allowEIO3: true }, async ({ raw }) => {
      const { sid } = await raw.handshake();
      assertError(await raw.get({ sid, EIO: "3" }), 3);
      assertError(await raw.push(sid, "40", {}, { EIO: "3" }), 3);
    });
  });

  it("code 5 for a missing EIO", async () => {
    await withServer({}, async ({ raw }) => assertError(await raw.get({ EIO: undefined }), 5));
  });

  for (const eio of ["3", "2", "5", "abc"]) {
    it(`code 5 for EIO=${eio} without allowEIO3`, async () => {
      await withServer({}, async ({ raw }) => assertError(await raw.get({ EIO: eio }), 5));
    });
  }

  it("code 3 for a polling request on a session that upgraded to WebSocket", async () => {
    await withServer({}, async ({ raw }) => {
      const { sid } = await raw.handshake();
      const ws = await raw.ws({ sid });
      try {
        ws.send("2probe");
        assert.equal(await ws.nextText(), "3probe");
        ws.send("5");
        // The session now lives on the WebSocket; the server may need a moment to switch.
        const deadline = Date.now() + WAIT_MS;
        let res: HttpResult;
        do res = await raw.get({ sid });
        while (res.status === 200 && Date.now() < deadline);
        assertError(res, 3);
        assertError(await raw.push(sid, "4hello"), 3);
      } finally {
        ws.terminate();
      }
    });
  });

  it("answers 500 with an empty body to an unknown method with a valid sid", async () => {
    await withServer({}, async ({ raw }) => {
      const { sid } = await raw.handshake();
      const res = await raw.request({ sid }, { method: "PUT", body: "" }).response;
      assert.equal(res.status, 500);
      assert.equal(res.body, "");
    });
  });
});

describe("WebSocket upgrade errors", { concurrency: true }, () => {
  it("unknown sid → raw 400 'Session ID unknown'", async () => {
    await withServer({}, async ({ raw }) =>
      assertUpgradeError(await raw.rawUpgrade({ sid: "nope" }), "Session ID unknown"),
    );
  });

  it("unknown transport → raw 400 'Transport unknown'", async () => {
    await withServer({}, async ({ raw }) =>
      assertUpgradeError(await raw.rawUpgrade({ transport: "abc" }), "Transport unknown"),
    );
  });

  it("transport=__proto__ → raw 400 'Transport unknown'", async () => {
    await withServer({}, async ({ raw }) =>
      assertUpgradeError(await raw.rawUpgrade({ transport: "__proto__" }), "Transport unknown"),
    );
  });

  it("missing EIO → raw 400 'Unsupported protocol version', never an open packet", async () => {
    await withServer({}, async ({ raw }) => {
      const answer = await raw.rawUpgrade({ EIO: undefined });
      // socket.io 4.8.4 checks the version after the WebSocket handshake, so it first
      // answers 101 and then writes the 400 into the upgraded stream; omnio refuses before
      // the 101 (deliberate: the client gets a proper HTTP error). Either way the raw 400
      // follows and no Engine.IO packet is ever sent.
      const at = answer.indexOf("HTTP/1.1 400 Bad Request\r\n");
      assert.notEqual(at, -1, answer);
      assertUpgradeError(answer.slice(at), "Unsupported protocol version");
    });
  });

  it("an upgrade with an EIO different from the session's → raw 400 'Bad request'", async () => {
    await withServer({ allowEIO3: true }, async ({ raw }) => {
      const { sid } = await raw.handshake();
      assertUpgradeError(await raw.rawUpgrade({ sid, EIO: "3" }), "Bad request");
    });
  });

  it("a WebSocket-only session opens without any sid", async () => {
    await withServer({}, async ({ raw }) => {
      const ws = await raw.ws();
      try {
        assert.deepEqual((await readOpen(ws)).upgrades, []);
      } finally {
        ws.terminate();
      }
    });
  });
});

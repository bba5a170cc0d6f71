/**
 * The sims' RequestTask members that the official typings declare beyond `abort`
 * (`onHeadersReceived`/`offHeadersReceived`, checked by `hosts/typings-check-frameworks.ts`):
 * on uni's task (callbacks given) and on Taro's Promise-shaped task, over a real `node:http` server.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTaroHost, createUniHost, type TaroSimApi, type UniSimApi } from "./hosts/sim-hosts.js";

let http: Server;
let port = 0;

before(async () => {
  http = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain", "x-node": "n7" });
    res.end("ok");
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  port = (http.address() as AddressInfo).port;
});
after(async () => {
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
});

test(
  "uni request task: onHeadersReceived gets the response headers before success; off removes a listener",
  { timeout: 5000 },
  async () => {
    const { api, state } = createUniHost("mp-weixin");
    const uni = api as unknown as UniSimApi;
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      const task = uni.request({
        url: `http://127.0.0.1:${port}/`,
        dataType: "text",
        success: (r: { statusCode: number }) => void order.push(`success ${r.statusCode}`),
        complete: () => resolve(),
      });
      const dropped = (): void => void order.push("dropped listener called");
      task.onHeadersReceived(dropped);
      task.onHeadersReceived(({ header }) => void order.push(`headers ${header["x-node"]}`));
      task.offHeadersReceived(dropped);
    });
    await done;
    assert.deepEqual(order, ["headers n7", "success 200"]);
    state.dispose();
  },
);

test(
  "Taro request task: a Promise of the payload that forwards onHeadersReceived to the native task",
  { timeout: 5000 },
  async () => {
    const { api, state } = createTaroHost("weapp");
    const taro = api as unknown as TaroSimApi;
    const task = taro.request({ url: `http://127.0.0.1:${port}/`, dataType: "text" });
    const headers = new Promise<Record<string, string>>((resolve) => task.onHeadersReceived((r) => resolve(r.header)));
    const result = await task;
    assert.equal((await headers)["x-node"], "n7");
    assert.equal(result.statusCode, 200);
    assert.equal(result.data, "ok");
    state.dispose();
  },
);

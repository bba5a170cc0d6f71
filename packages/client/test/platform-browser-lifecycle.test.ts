/** The browser platform's lifecycle signals map to the DOM events (injected globals, no browser needed). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createBrowserPlatform, type BrowserGlobals } from "@omnio/client/browser";

function fakeWindow(): {
  globals: BrowserGlobals;
  fire(type: string): void;
  count(): number;
  doc: { visibilityState: string };
} {
  const listeners = new Map<string, Set<() => void>>();
  const add = (type: string, l: () => void): void =>
    void (listeners.get(type) ?? listeners.set(type, new Set()).get(type)!).add(l);
  const remove = (type: string, l: () => void): void => void listeners.get(type)?.delete(l);
  const doc = { visibilityState: "visible", addEventListener: add, removeEventListener: remove };
  return {
    globals: {
      setTimeout,
      clearTimeout,
      addEventListener: add,
      removeEventListener: remove,
      document: doc,
    },
    fire: (type) => [...(listeners.get(type) ?? [])].forEach((l) => l()),
    count: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
    doc,
  };
}

test("offline/online, visibilitychange and beforeunload reach the listeners; unsubscribing removes them", () => {
  const w = fakeWindow();
  const lifecycle = createBrowserPlatform({ globals: w.globals }).lifecycle!;
  const seen: string[] = [];
  const stops = [
    lifecycle.onNetworkChange!((online) => seen.push(`online:${online}`)),
    lifecycle.onVisibilityChange!((visible) => seen.push(`visible:${visible}`)),
    lifecycle.onBeforeUnload!(() => seen.push("unload")),
  ];
  w.fire("offline");
  w.fire("online");
  w.doc.visibilityState = "hidden";
  w.fire("visibilitychange");
  w.doc.visibilityState = "visible";
  w.fire("visibilitychange");
  w.fire("beforeunload");
  assert.deepEqual(seen, ["online:false", "online:true", "visible:false", "visible:true", "unload"]);
  for (const stop of stops) stop();
  assert.equal(w.count(), 0);
});

test("in a service worker no online/offline/beforeunload listeners are offered (none fire there; late ones warn)", () => {
  class ServiceWorkerGlobalScope {}
  const w = fakeWindow();
  const globals = Object.assign(new ServiceWorkerGlobalScope(), w.globals, {
    document: undefined,
    ServiceWorkerGlobalScope,
  });
  const lifecycle = createBrowserPlatform({ globals }).lifecycle;
  assert.equal(lifecycle?.onNetworkChange, undefined);
  assert.equal(lifecycle?.onBeforeUnload, undefined);
  // A dedicated worker or a page (not a ServiceWorkerGlobalScope instance) keeps them.
  const page = createBrowserPlatform({ globals: { ...w.globals, ServiceWorkerGlobalScope } }).lifecycle;
  assert.equal(typeof page?.onNetworkChange, "function");
});

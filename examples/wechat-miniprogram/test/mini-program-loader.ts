/**
 * Loads a WeChat mini program's JavaScript the way the host does, inside a `node:vm` context
 * whose globals are only what a mini program has: the `wx` object given, `App`/`Page`/`getApp`,
 * timers and `console` (no `window`, `document`, `WebSocket`, `XMLHttpRequest`, `fetch`, `process`,
 * `Buffer`). Modules are CommonJS with relative `require`, as in WeChat without the npm build.
 * Pages get an instance with `data` and `setData`, which insists on JSON-serialisable data (the
 * logic layer sends it to the view layer as JSON).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import vm from "node:vm";

export interface PageInstance {
  data: Record<string, any>;
  setData(patch: Record<string, unknown>, callback?: () => void): void;
  [method: string]: any;
}

export interface LoadedProgram {
  app: Record<string, any>;
  /** Runs a page module and returns a fresh instance of the page it registered. */
  loadPage(path: string): PageInstance;
}

export function loadMiniProgram(root: string, wx: unknown, redirects: Record<string, string> = {}): LoadedProgram {
  let app: Record<string, any> | undefined;
  let page: Record<string, any> | undefined;
  const context = vm.createContext({
    wx,
    App: (definition: Record<string, any>) => void (app = definition),
    Page: (definition: Record<string, any>) => void (page = definition),
    getApp: () => app,
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
  });
  const cache = new Map<string, { exports: unknown }>();
  const requireFrom =
    (dir: string) =>
    (specifier: string): unknown => {
      assert.ok(specifier.startsWith("."), `only relative requires exist here: ${specifier}`);
      let file = resolve(dir, specifier);
      if (!file.endsWith(".js")) file += ".js";
      const cached = cache.get(file);
      if (cached) return cached.exports;
      const source = readFileSync(redirects[file] ?? file, "utf8");
      const module = { exports: {} as unknown };
      cache.set(file, module);
      const wrapper = vm.runInContext(`(function (require, module, exports) {${source}\n})`, context, {
        filename: file,
      });
      (wrapper as (r: unknown, m: unknown, e: unknown) => void)(requireFrom(dirname(file)), module, module.exports);
      return module.exports;
    };
  const load = requireFrom(root);
  load("./app.js");
  assert.ok(app, "app.js called App()");
  return {
    app,
    loadPage(path) {
      page = undefined;
      load(`./${path}.js`);
      const definition = page as Record<string, any> | undefined;
      assert.ok(definition, `${path}.js called Page()`);
      const instance: PageInstance = {
        data: JSON.parse(JSON.stringify(definition.data ?? {})),
        setData(patch, callback) {
          assertJson(patch, "setData");
          Object.assign(this.data, patch);
          callback?.();
        },
      };
      for (const [key, value] of Object.entries(definition)) {
        if (key !== "data") instance[key] = typeof value === "function" ? value.bind(instance) : value;
      }
      return instance;
    },
  };
}

/** Plain JSON data only: what survives the logic → view layer hop unchanged (objects from any realm). */
function assertJson(value: unknown, path: string): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") return assert.ok(Number.isFinite(value), `${path} is a finite number`);
  assert.equal(typeof value, "object", `${path} is JSON data, not ${typeof value}`);
  if (Array.isArray(value)) return value.forEach((item, i) => assertJson(item, `${path}[${i}]`));
  const proto: unknown = Object.getPrototypeOf(value);
  assert.ok(proto === null || Object.getPrototypeOf(proto) === null, `${path} is a plain object`);
  for (const [key, item] of Object.entries(value as object)) assertJson(item, `${path}.${key}`);
}

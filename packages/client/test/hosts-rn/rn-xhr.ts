/**
 * React Native's `XMLHttpRequest` (Libraries/Network/XMLHttpRequest.js), backed by `node:http`.
 * What is reproduced: `open`/`setRequestHeader`/`send`/`abort`, `readyState` 0→1→2→3→4 with
 * `onreadystatechange`, `onload`/`onerror`/`ontimeout`/`onabort`/`onloadend`, `timeout`,
 * `responseType` "" or "text" only (old RN rejected "arraybuffer"), `getAllResponseHeaders()`
 * as `name: value\r\n` lines, and cookies as RN iOS handles them: the host's cookie store is used
 * (sent and updated) only when `withCredentials` is true.
 */
import { request as httpRequest, type ClientRequest } from "node:http";
import type { RNNetwork } from "./rn-network.js";

export interface RNXhrOptions {
  network: RNNetwork;
  /** Every request started, for tests that count them. */
  started: { method: string; url: string; headers: Record<string, string> }[];
}

export function createRNXhrClass(opts: RNXhrOptions) {
  return class RNXMLHttpRequest {
    static readonly UNSENT = 0;
    static readonly OPENED = 1;
    static readonly HEADERS_RECEIVED = 2;
    static readonly LOADING = 3;
    static readonly DONE = 4;

    readyState = 0;
    status = 0;
    responseText = "";
    timeout = 0;
    withCredentials = true; // RN's default
    onreadystatechange: (() => void) | null = null;
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    ontimeout: (() => void) | null = null;
    onabort: (() => void) | null = null;
    onloadend: (() => void) | null = null;
    #responseType = "";
    #method = "GET";
    #url = "";
    readonly #headers: Record<string, string> = {};
    #responseHeaders = "";
    #req: ClientRequest | undefined;
    #aborted = false;
    #timer: ReturnType<typeof setTimeout> | undefined;

    get responseType(): string {
      return this.#responseType;
    }

    set responseType(value: string) {
      if (value !== "" && value !== "text") throw new Error(`responseType "${value}" is not supported`);
      this.#responseType = value;
    }

    get response(): string {
      return this.responseText;
    }

    open(method: string, url: string, async = true): void {
      if (!async) throw new Error("Synchronous http requests are not supported");
      this.#method = method.toUpperCase();
      this.#url = url;
      this.#setState(1);
    }

    setRequestHeader(name: string, value: string): void {
      if (this.readyState !== 1) throw new Error("Request has not been opened");
      this.#headers[name.toLowerCase()] = String(value);
    }

    getAllResponseHeaders(): string {
      return this.#responseHeaders;
    }

    getResponseHeader(name: string): string | null {
      const line = this.#responseHeaders
        .split("\r\n")
        .find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ":"));
      return line === undefined ? null : line.slice(line.indexOf(":") + 1).trim();
    }

    send(body?: string | null): void {
      if (this.readyState !== 1) throw new Error("Request has not been opened");
      const headers = { ...this.#headers };
      const host = this.#url.replace(/^https?:\/\//, "").split("/")[0]!;
      if (this.withCredentials) {
        const cookie = opts.network.cookieHeader(host);
        if (cookie !== undefined && headers.cookie === undefined) headers.cookie = cookie;
      }
      opts.started.push({ method: this.#method, url: this.#url, headers });
      const refusal = opts.network.refusal();
      if (refusal !== undefined) {
        opts.network.refusals++;
        setTimeout(() => this.#end("error"), 1);
        return;
      }
      if (body != null) headers["content-length"] = String(Buffer.byteLength(body));
      const req = httpRequest(this.#url, { method: this.#method, headers });
      this.#req = req;
      if (this.timeout > 0) {
        this.#timer = setTimeout(() => {
          req.destroy();
          this.#end("timeout");
        }, this.timeout);
      }
      req.on("response", (res) => {
        if (this.#aborted) return;
        if (this.withCredentials) opts.network.storeCookies(host, res.headers["set-cookie"]);
        this.status = res.statusCode ?? 0;
        let lines = "";
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          lines += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
        this.#responseHeaders = lines;
        this.#setState(2);
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          this.responseText += chunk;
          if (this.readyState !== 3) this.#setState(3);
        });
        res.on("end", () => this.#end("load"));
        res.on("error", () => this.#end("error"));
      });
      req.on("error", () => this.#end("error"));
      req.end(body ?? undefined);
    }

    abort(): void {
      this.#aborted = true;
      this.#req?.destroy();
      this.#end("abort");
    }

    #setState(state: number): void {
      this.readyState = state;
      this.onreadystatechange?.();
    }

    #end(kind: "load" | "error" | "timeout" | "abort"): void {
      if (this.readyState === 4 || (this.#aborted && kind !== "abort")) return;
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      if (kind !== "load") this.status = 0;
      this.#setState(4);
      const handler =
        kind === "load"
          ? this.onload
          : kind === "error"
            ? this.onerror
            : kind === "timeout"
              ? this.ontimeout
              : this.onabort;
      handler?.();
      this.onloadend?.();
    }
  };
}

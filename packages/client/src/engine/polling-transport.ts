/**
 * HTTP long-polling transport (Engine.IO v4 spec "Polling"; miniprogram-platforms §2.7): one GET
 * held open to receive, one short POST at a time to send, payloads joined by `\x1e`, binary as
 * `b<base64>`. POSTs are `text/plain;charset=UTF-8` (engine.io rejects octet-stream on EIO4).
 */
import { decodePayload, encodePayload, utf8Length, type EnginePacket } from "@omnio/protocol";
import { EngineError } from "../errors.js";
import type { HttpResponse, HttpTask } from "../platform/contract.js";
import { transportUrl, type Transport, type TransportConfig, type TransportSink } from "./transport.js";

const POST_HEADERS = Object.freeze({ "content-type": "text/plain;charset=UTF-8" });

type State = "idle" | "opening" | "open" | "pausing" | "paused" | "closed";

/** The long-polling transport. */
export class PollingTransport implements Transport {
  readonly name = "polling";
  readonly #config: TransportConfig;
  readonly #sink: TransportSink;
  #state: State = "idle";
  #writable = false;
  #get: HttpTask | undefined;
  #post: HttpTask | undefined;
  // Generations make late callbacks of aborted requests harmless (hosts whose abort does not
  // really cancel, e.g. uni-app: miniprogram-platforms §2.7 rule 8).
  #getGen = 0;
  #postGen = 0;
  #seq = 0;
  #onPaused: (() => void) | undefined;

  constructor(config: TransportConfig, sink: TransportSink) {
    this.#config = config;
    this.#sink = sink;
  }

  get writable(): boolean {
    return this.#writable;
  }

  open(): void {
    if (this.#state !== "idle") return;
    this.#state = "opening";
    this.#poll();
  }

  setSid(sid: string): void {
    this.#config.query.sid = sid;
  }

  send(packets: EnginePacket[]): void {
    if (this.#state === "closed" || this.#post !== undefined) return;
    this.#writable = false;
    const gen = ++this.#postGen;
    this.#post = this.#request("POST", encodePayload(packets), {
      onResponse: (res) => {
        if (gen !== this.#postGen) return;
        this.#post = undefined;
        if (res.status !== 200) return this.#fail({ status: res.status, body: res.body });
        this.#writable = true;
        this.#checkPaused();
        this.#sink.onDrain();
      },
      onError: (error) => {
        if (gen !== this.#postGen) return;
        this.#post = undefined;
        this.#fail(error);
      },
    });
  }

  /** Splits the write buffer so one POST stays within the server's `maxPayload`. */
  static takeWithinPayload(buffer: EnginePacket[], maxPayload: number): EnginePacket[] {
    let size = 0;
    for (let i = 0; i < buffer.length; i++) {
      const data = buffer[i]!.data;
      size +=
        (typeof data === "string" ? utf8Length(data) : data === undefined ? 0 : Math.ceil(data.length / 3) * 4) + 2;
      if (i > 0 && size > maxPayload) return buffer.splice(0, i);
    }
    return buffer.splice(0, buffer.length);
  }

  pause(onPaused: () => void): void {
    if (this.#state !== "open") return;
    this.#state = "pausing";
    this.#onPaused = onPaused;
    this.#checkPaused();
  }

  resume(): void {
    if (this.#state !== "pausing" && this.#state !== "paused") return;
    this.#state = "open";
    this.#onPaused = undefined;
    if (this.#get === undefined) this.#poll();
  }

  close(graceful: boolean): void {
    if (this.#state === "closed") return;
    const wasOpen = this.#state !== "idle" && this.#state !== "opening";
    this.#state = "closed";
    this.#writable = false;
    this.#onPaused = undefined;
    this.#postGen++;
    this.#getGen++;
    const get = this.#get;
    this.#get = undefined;
    this.#post = undefined;
    if (graceful && wasOpen) {
      // Tell the server (spec "Close"): it answers the held GET with `6`, so the GET is
      // released once the close POST is answered rather than aborted (an aborted GET is a
      // transport error on the server, a worse disconnect reason there).
      const release = (): void => get?.abort();
      this.#request("POST", "1", { onResponse: release, onError: release });
    } else {
      get?.abort();
    }
  }

  #poll(): void {
    const gen = ++this.#getGen;
    this.#get = this.#request("GET", undefined, {
      onResponse: (res) => {
        if (gen !== this.#getGen) return;
        this.#get = undefined;
        this.#onPollResponse(res);
      },
      onError: (error) => {
        if (gen !== this.#getGen) return;
        this.#get = undefined;
        this.#fail(error);
      },
    });
  }

  #onPollResponse(res: HttpResponse): void {
    if (res.status !== 200) return this.#fail({ status: res.status, body: res.body });
    let packets: EnginePacket[];
    try {
      packets = decodePayload(res.body);
    } catch (cause) {
      this.#state = "closed";
      return this.#sink.onError(new EngineError("PARSE_ERROR", { transport: "polling", cause }));
    }
    for (const packet of packets) {
      if (this.#state === "opening" && packet.type === "open") {
        this.#state = "open";
        this.#writable = true;
        this.#sink.onOpen();
      }
      if (this.#isClosed()) return;
      this.#sink.onPacket(packet);
      // The engine may have closed or replaced us while handling the packet.
      if (this.#isClosed()) return;
    }
    if (this.#state === "open") this.#poll();
    else this.#checkPaused();
  }

  /** Re-reads the state (sink callbacks may close us; a method call defeats narrowing). */
  #isClosed(): boolean {
    return this.#state === "closed";
  }

  #checkPaused(): void {
    if (this.#state !== "pausing" || this.#get !== undefined || this.#post !== undefined) return;
    this.#state = "paused";
    const done = this.#onPaused;
    this.#onPaused = undefined;
    done?.();
  }

  #fail(description: unknown): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#writable = false;
    this.#sink.onError(new EngineError("POLLING_ERROR", { transport: "polling", description }));
  }

  #request(
    method: "GET" | "POST",
    body: string | undefined,
    handlers: { onResponse(res: HttpResponse): void; onError(error: unknown): void },
  ): HttpTask | undefined {
    const request = this.#config.platform.request;
    if (request === undefined) {
      this.#fail("This platform cannot make HTTP requests.");
      return undefined;
    }
    const config = this.#config;
    const stamp = config.timestamp ? config.platform.now().toString(36) + "." + (this.#seq++).toString(36) : undefined;
    const headers = method === "POST" ? { ...config.headers, ...POST_HEADERS } : config.headers;
    return request(
      {
        method,
        url: transportUrl(config, "http", stamp),
        headers,
        ...(body === undefined ? {} : { body }),
        timeout: config.requestTimeout(),
        withCredentials: config.withCredentials,
      },
      handlers,
    );
  }
}

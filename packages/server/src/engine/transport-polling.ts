/**
 * HTTP long-polling (Engine.IO v4 "HTTP long-polling", v3 payloads for old clients).
 * At most one GET and one POST may be pending; an overlapping request is answered 400 and
 * ends the session. Every body is bounded in bytes, chunks and time.
 */
import {
  decodePayload,
  decodeV3BinaryPayload,
  decodeV3Payload,
  encodePayload,
  encodeV3BinaryPayload,
  encodeV3Payload,
  ProtocolError,
  type EnginePacket,
} from "@omnio/protocol";
import type { EngineRequest, EngineResponse, EngineRuntime, ContentEncoding } from "./contracts.js";
import { Transport, type OutgoingPacket } from "./transport.js";

/** How the session answers requests: error bodies and per-request headers live in the server. */
export interface PollingHost {
  readonly runtime: EngineRuntime;
  readonly maxHttpBufferSize: number;
  readonly maxBufferedChunks: number;
  readonly httpRequestBodyTimeout: number;
  readonly maxPacketsPerPayload: number;
  readonly compressionThreshold: number | false;
  /** Headers every response of this request carries (CORS, `headers` event, …). */
  responseHeaders(req: EngineRequest): Promise<Record<string, string | string[]>>;
  /** Answers with a bare status and an empty body (the transport then ends the session). */
  fail(req: EngineRequest, res: EngineResponse, status: number, context: string): void;
}

function pickEncoding(accept: string | string[] | undefined): ContentEncoding | undefined {
  const value = Array.isArray(accept) ? accept.join(",") : accept;
  if (!value) return undefined;
  if (/\bgzip\b/.test(value)) return "gzip";
  if (/\bdeflate\b/.test(value)) return "deflate";
  return undefined;
}

export class PollingTransport extends Transport {
  readonly name = "polling" as const;
  #get: { req: EngineRequest; res: EngineResponse } | undefined;
  #posting = false;
  #closing = false;
  #closed = false;
  /** While an upgrade is probing, every GET is answered with a noop at once. */
  upgrading = false;

  constructor(private readonly host: PollingHost) {
    super();
  }

  get writable(): boolean {
    return this.#get !== undefined && !this.#closed;
  }

  /** A long-poll GET. */
  onGet(req: EngineRequest, res: EngineResponse): void {
    if (this.#get) {
      // Two GETs at once: the client is confused or hostile (spec: one GET at a time).
      this.host.fail(req, res, 400, "OVERLAPPING_REQUEST");
      this.owner?.onTransportError("overlap from client");
      return;
    }
    this.#get = { req, res };
    req.onAbort(() => {
      if (this.#get?.res === res) {
        this.#get = undefined;
        this.owner?.onTransportError("poll connection closed prematurely");
      }
    });
    if (this.#closing) {
      this.send([{ type: "noop" }]);
      return;
    }
    if (this.upgrading) {
      this.send([{ type: "noop" }]);
      return;
    }
    this.owner?.onTransportDrain();
  }

  /** A POST carrying client packets. */
  async onPost(req: EngineRequest, res: EngineResponse): Promise<void> {
    if (this.#posting) {
      this.host.fail(req, res, 400, "OVERLAPPING_REQUEST");
      this.owner?.onTransportError("overlap from client");
      return;
    }
    const type = req.headers["content-type"];
    const isBinaryBody = typeof type === "string" && type.startsWith("application/octet-stream");
    if (isBinaryBody && this.protocol === 4) {
      // EIO4 bodies are always text; a binary body is refused and ends the session.
      this.host.fail(req, res, 400, "UNSUPPORTED_CONTENT_TYPE");
      this.owner?.onTransportError("invalid content type");
      return;
    }
    this.#posting = true;
    const result = await req.readBody({
      maxBytes: this.host.maxHttpBufferSize,
      maxChunks: this.host.maxBufferedChunks,
      timeoutMs: this.host.httpRequestBodyTimeout,
      binary: isBinaryBody,
    });
    this.#posting = false;
    if (!result.ok) {
      if (result.reason === "timeout") this.host.fail(req, res, 408, "BODY_TIMEOUT");
      else if (result.reason !== "aborted") this.host.fail(req, res, 413, "BODY_TOO_LARGE");
      this.owner?.onTransportError(
        result.reason === "aborted" ? "post connection closed prematurely" : "request body " + result.reason,
      );
      return;
    }
    const headers = await this.host.responseHeaders(req);
    res.send(200, { ...headers, "Content-Type": "text/html", "Content-Length": "2" }, "ok");
    let packets: EnginePacket[];
    try {
      const max = this.host.maxPacketsPerPayload;
      const fromBase64 = this.host.runtime.fromBase64;
      if (typeof result.body !== "string") packets = decodeV3BinaryPayload(result.body, { maxPackets: max });
      else if (this.protocol === 3) packets = decodeV3Payload(result.body, { maxPackets: max, fromBase64 });
      else packets = decodePayload(result.body, { maxPackets: max, fromBase64 });
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.owner?.onTransportError("parse error");
      return;
    }
    for (const packet of packets) {
      if (this.#closed) break;
      if (packet.type === "close") {
        this.#closeByClient();
        return;
      }
      this.owner?.onTransportPacket(packet);
    }
  }

  send(packets: OutgoingPacket[]): void {
    const get = this.#get;
    if (!get) return;
    this.#get = undefined;
    if (this.#closing && !packets.some((p) => p.type === "close")) packets = [...packets, { type: "close" }];
    this.#write(get.req, get.res, packets).catch((err: unknown) => this.owner?.onTransportError(String(err)));
  }

  async #write(req: EngineRequest, res: EngineResponse, packets: OutgoingPacket[]): Promise<void> {
    const runtime = this.host.runtime;
    let body: string | Uint8Array;
    let contentType: string;
    if (this.protocol === 3 && !this.base64 && packets.some((p) => typeof p.data === "object")) {
      body = encodeV3BinaryPayload(packets);
      contentType = "application/octet-stream";
    } else {
      body =
        this.protocol === 3 ? encodeV3Payload(packets, runtime.toBase64) : encodePayload(packets, runtime.toBase64);
      contentType = "text/plain; charset=UTF-8";
    }
    const headers: Record<string, string | string[]> = {
      ...(await this.host.responseHeaders(req)),
      "Content-Type": contentType,
    };
    const threshold = this.host.compressionThreshold;
    const size = typeof body === "string" ? runtime.byteLength(body) : body.length;
    const encoding =
      threshold !== false && size >= threshold && runtime.compress && packets.some((p) => p.compress !== false)
        ? pickEncoding(req.headers["accept-encoding"])
        : undefined;
    if (encoding && runtime.compress) {
      try {
        body = await runtime.compress(body, encoding);
        headers["Content-Encoding"] = encoding;
      } catch {
        // Compression failed: send uncompressed rather than lose packets.
      }
    }
    headers["Content-Length"] = String(typeof body === "string" ? runtime.byteLength(body) : body.length);
    res.send(200, headers, body);
    for (const p of packets) p.callback?.();
    // Only the response that carries the close packet ends the transport: `close()` may
    // have been called while this (earlier) response was being prepared.
    if (packets.some((p) => p.type === "close") && !this.#closed) {
      this.#finish();
      this.owner?.onTransportClose();
    }
  }

  close(): void {
    if (this.#closed || this.#closing) return;
    this.#closing = true;
    if (this.#get) this.send([{ type: "close" }]);
    // Otherwise the next GET is answered `6\x1e1` (see onGet/send) — or the session
    // times out; either way the session itself is already gone.
  }

  discard(): void {
    const get = this.#get;
    this.#get = undefined;
    if (get && !get.res.sent) get.res.send(200, { "Content-Type": "text/plain; charset=UTF-8" }, "6");
    this.#finish();
  }

  #closeByClient(): void {
    // The client's `close` packet: any pending GET ends with a noop, then the session closes.
    const get = this.#get;
    this.#get = undefined;
    if (get && !get.res.sent) get.res.send(200, { "Content-Type": "text/plain; charset=UTF-8" }, "6");
    this.#finish();
    this.owner?.onTransportClose();
  }

  #finish(): void {
    this.#closed = true;
  }
}

/** Node `http` request/response wrapped as the engine's contracts. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import type { BodyResult, EngineRequest, EngineResponse } from "../../engine/contracts.js";

export class NodeRequest implements EngineRequest {
  /** Set when we stopped reading a body early: the connection is closed after the answer. */
  incomplete = false;
  constructor(
    readonly raw: IncomingMessage,
    private readonly res: ServerResponse | undefined,
  ) {}
  get method(): string {
    return this.raw.method ?? "GET";
  }
  get url(): string {
    return this.raw.url ?? "/";
  }
  get headers(): IncomingMessage["headers"] {
    return this.raw.headers;
  }
  get remoteAddress(): string {
    return this.raw.socket?.remoteAddress ?? "";
  }
  get secure(): boolean {
    return !!(this.raw.socket as TLSSocket | undefined)?.encrypted;
  }

  readBody(limits: { maxBytes: number; maxChunks: number; timeoutMs: number; binary: boolean }): Promise<BodyResult> {
    const req = this.raw;
    const res = this.res;
    return new Promise<BodyResult>((resolve) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      const declared = Number(req.headers["content-length"]);
      const finish = (result: BodyResult): void => {
        clearTimeout(timer);
        req.off("data", onData);
        req.off("end", onEnd);
        req.off("error", onError);
        res?.off("close", onClose);
        if (!result.ok) {
          this.incomplete = true;
          req.on("error", () => undefined);
          req.resume();
        }
        resolve(result);
      };
      const onData = (chunk: Buffer): void => {
        bytes += chunk.length;
        chunks.push(chunk);
        if (bytes > limits.maxBytes) finish({ ok: false, reason: "too-large" });
        else if (chunks.length > limits.maxChunks) finish({ ok: false, reason: "too-many-chunks" });
      };
      const onEnd = (): void => {
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
        finish({ ok: true, body: limits.binary ? body : body.toString("utf8") });
      };
      const onError = (): void => finish({ ok: false, reason: "aborted" });
      const onClose = (): void => {
        if (!req.complete) finish({ ok: false, reason: "aborted" });
      };
      const timer = setTimeout(() => finish({ ok: false, reason: "timeout" }), limits.timeoutMs);
      if (declared > limits.maxBytes) {
        finish({ ok: false, reason: "too-large" });
        return;
      }
      req.on("data", onData);
      req.on("end", onEnd);
      req.on("error", onError);
      res?.on("close", onClose);
    });
  }

  onAbort(callback: () => void): void {
    const res = this.res;
    if (!res) return;
    res.once("close", () => {
      if (!res.writableFinished) callback();
    });
  }
}

export class NodeResponse implements EngineResponse {
  constructor(
    readonly raw: ServerResponse,
    private readonly req: NodeRequest,
  ) {}
  get sent(): boolean {
    return this.raw.headersSent || this.raw.writableEnded;
  }
  send(status: number, headers: Record<string, string | string[]>, body: string | Uint8Array): void {
    const res = this.raw;
    if (this.sent || res.destroyed) return;
    if (this.req.incomplete) headers = { ...headers, Connection: "close" };
    try {
      res.writeHead(status, headers);
      res.end(body);
    } catch {
      // Invalid header set by a `headers` listener: answer without the extra headers.
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      }
    }
  }
}

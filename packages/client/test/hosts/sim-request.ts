/**
 * A simulated host `request` backed by `node:http`, following the hosts' documented rules
 * (miniprogram-platforms §2.1–§2.4, §5.2): object data → query (GET) or JSON (POST), a default
 * `content-type` (JSON; urlencoded on uni App), `dataType: "json"` parsing (keep the string on
 * failure for WeChat/uni, fail with error 14 on Alipay), `responseType: "arraybuffer"`, every
 * status to `success` (or Alipay's error 19 for ≥ 400 when configured), `Set-Cookie` → `cookies`,
 * `abort()` and timeouts → `fail`, and the host state's suspension/offline/kill.
 */
import { request as httpRequest, type ClientRequest } from "node:http";
import type { LiveRequest, SimState } from "./sim-state.js";

type Fn = (result?: any) => void;

/** How one host shapes `request`. */
export interface RequestDialect {
  /** Option name of the request headers. */
  headerField: "header" | "headers";
  /** Also read the other spelling (Alipay's typing allows both). */
  acceptBothHeaderFields?: boolean;
  /** Default POST content-type when none is given. */
  defaultContentType: string;
  /** Failure payload. */
  failure(errMsg: string, code?: number): unknown;
  /** Success payload from status, lower-case headers, Set-Cookie lines and the converted data. */
  success(status: number, headers: Record<string, string>, cookies: string[], data: unknown): unknown;
  /** `dataType: "json"` on a non-JSON body fails (Alipay error 14) instead of keeping the string. */
  jsonFailureFails?: boolean;
  /** Statuses ≥ 400 go to `fail` with error 19 (one reading of Alipay's docs). */
  httpErrorFails?: boolean;
  /** Default `dataType`. */
  defaultDataType: string;
}

/** Options given to `request` (any host). */
export interface RequestOption {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  headers?: Record<string, string>;
  dataType?: string;
  responseType?: string;
  timeout?: number;
  success?: Fn;
  fail?: Fn;
  complete?: Fn;
}

/** Requests seen by the sim (for assertions on headers such as the replayed cookie). */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The response status, once there is one. */
  status?: number;
}

/** The RequestTask: `abort`, and the response-header events every typing declares. */
export interface SimRequestTask {
  abort(option?: unknown): void;
  onHeadersReceived(listener: (result: { header: Record<string, string> }) => void): void;
  offHeadersReceived(listener?: (result: { header: Record<string, string> }) => void): void;
}

/** Starts one simulated request; returns the RequestTask. */
export function simRequest(
  state: SimState,
  dialect: RequestDialect,
  option: RequestOption,
  seen: SeenRequest[],
): SimRequestTask {
  let done = false;
  const headerListeners: ((result: { header: Record<string, string> }) => void)[] = [];
  // Both are set below, after the callbacks that read them are defined.
  const io: { req?: ClientRequest; timer?: ReturnType<typeof setTimeout> } = {};
  const finish = (ok: boolean, payload: unknown): void => {
    if (done) return;
    done = true;
    if (io.timer !== undefined) clearTimeout(io.timer);
    state.requests.delete(live);
    state.later(() => {
      (ok ? option.success : option.fail)?.(payload);
      option.complete?.(payload);
    });
  };
  const live: LiveRequest = {
    interrupt(errMsg) {
      io.req?.destroy();
      finish(false, dialect.failure(errMsg, 9));
    },
  };
  const task: SimRequestTask = {
    abort: () => live.interrupt("request:fail abort"),
    onHeadersReceived: (listener) => void headerListeners.push(listener),
    offHeadersReceived: (listener) => {
      if (listener === undefined) headerListeners.length = 0;
      else if (headerListeners.includes(listener)) headerListeners.splice(headerListeners.indexOf(listener), 1);
    },
  };
  const refusal = state.refusal(option.url, "request");
  if (refusal !== undefined) {
    finish(false, dialect.failure(refusal, 12));
    return task;
  }
  state.requests.add(live);
  const method = (option.method ?? "GET").toUpperCase();
  const given =
    option[dialect.headerField] ??
    (dialect.acceptBothHeaderFields ? option[dialect.headerField === "header" ? "headers" : "header"] : undefined);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(given ?? {})) headers[k.toLowerCase()] = v;
  let url = option.url;
  if (state.forgetSession && /[?&]sid=/.test(url)) {
    state.forgetSession = false;
    url = url.replace(/([?&]sid=)[^&]*/, "$1forgotten");
  }
  let body: string | Buffer | undefined;
  const data = option.data;
  if (method === "GET") {
    if (data !== undefined && typeof data === "object" && !(data instanceof ArrayBuffer)) {
      const query = new URLSearchParams(data as Record<string, string>).toString();
      if (query) url += (url.includes("?") ? "&" : "?") + query;
    }
  } else {
    headers["content-type"] ??= dialect.defaultContentType;
    if (typeof data === "string") body = data;
    else if (data instanceof ArrayBuffer) body = Buffer.from(data);
    else if (data !== undefined) {
      body = headers["content-type"].includes("json")
        ? JSON.stringify(data)
        : new URLSearchParams(data as Record<string, string>).toString();
    }
  }
  const record: SeenRequest = { method, url, headers: { ...headers } };
  seen.push(record);
  const timeout = option.timeout ?? 60_000;
  io.timer = setTimeout(() => live.interrupt("request:fail timeout"), timeout);
  const req = httpRequest(url, { method, headers }, (res) => {
    const header: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) header[k] = Array.isArray(v) ? v.join(", ") : v;
    }
    for (const listener of [...headerListeners]) state.later(() => listener({ header }));
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("error", () => finish(false, dialect.failure("request:fail response error", 12)));
    res.on("end", () => {
      const raw = Buffer.concat(chunks);
      const status = res.statusCode ?? 0;
      record.status = status;
      const responseHeaders = header;
      const cookies = res.headers["set-cookie"] ?? [];
      if (dialect.httpErrorFails && status >= 400) {
        return finish(false, dialect.failure(`request:fail http status error ${status}`, 19));
      }
      let converted: unknown;
      if (option.responseType === "arraybuffer") {
        converted = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
      } else {
        converted = raw.toString("utf8");
        if ((option.dataType ?? dialect.defaultDataType) === "json") {
          try {
            converted = JSON.parse(converted as string);
          } catch {
            if (dialect.jsonFailureFails) return finish(false, dialect.failure("JSON parse data error", 14));
          }
        }
      }
      finish(true, dialect.success(status, responseHeaders, cookies, converted));
    });
  });
  io.req = req;
  req.on("error", (error) => finish(false, dialect.failure(`request:fail ${error.message}`, 12)));
  req.end(body);
  return task;
}

/**
 * Long-polling requests over a host's `request` API (miniprogram-platforms §2.7):
 * - `dataType: "text"` and `responseType: "text"` (the default `"json"` turns a body of `2` into a
 *   number on WeChat and fails with error 14 on Alipay);
 * - every status arrives in `success` on most hosts, so the status is read from `statusCode` or
 *   `status` and handed to the core, which treats a non-200 (400: session gone) as a failure;
 * - headers are sent as `header` or `headers` (Alipay) and read back from either;
 * - `Set-Cookie` (WeChat's `cookies`, or the headers) is kept in a {@link CookieStore} and replayed.
 */
import { decodeUtf8 } from "@omnio/protocol";
import type { HttpHandlers, HttpRequest, HttpTask } from "../../platform/contract.js";
import type { CookieStore } from "./cookie-store.js";
import { hostError } from "./errors.js";
import type { MiniProgramApi, RequestResult } from "./host-api.js";

/** How a host spells the request header option. */
export type HeaderField = "header" | "headers";

/** Settings of {@link hostRequest}. */
export interface HostRequestConfig {
  /** The API name used in error messages, e.g. `"wx.request"`. */
  api: string;
  headerField: HeaderField;
  cookies: CookieStore | undefined;
}

/** Starts one polling request through `host.request`. */
export function hostRequest(
  host: MiniProgramApi,
  config: HostRequestConfig,
  request: HttpRequest,
  handlers: HttpHandlers,
): HttpTask {
  let settled = false;
  const headers: Record<string, string> = { ...request.headers };
  const cookie = config.cookies?.header();
  if (cookie !== undefined && headers.cookie === undefined) headers.cookie = cookie;
  let task: unknown;
  try {
    task = host.request!({
      url: request.url,
      method: request.method,
      ...(request.body === undefined ? {} : { data: request.body }),
      [config.headerField]: headers,
      dataType: "text",
      responseType: "text",
      ...(request.timeout > 0 ? { timeout: request.timeout } : {}),
      success: (result: RequestResult) => {
        if (settled) return;
        settled = true;
        const responseHeaders = lowerCaseHeaders(result.header ?? result.headers);
        config.cookies?.store(result.cookies ?? responseHeaders["set-cookie"]);
        handlers.onResponse({
          status: result.statusCode ?? result.status ?? 0,
          headers: responseHeaders,
          body: bodyText(result.data),
        });
      },
      fail: (payload) => {
        if (settled) return;
        settled = true;
        handlers.onError(hostError(config.api, payload));
      },
    });
  } catch (error) {
    settled = true;
    throw hostError(config.api, error instanceof Error ? error.message : error);
  }
  // Taro's and uni's request tasks are also Promises that reject on failure or abort; the
  // callbacks above already report it, so the rejection is handled here.
  const then = (task as { then?: unknown } | undefined)?.then;
  if (typeof then === "function") (then as (ok: unknown, ko: () => void) => unknown).call(task, undefined, () => {});
  return {
    abort() {
      settled = true;
      const abort = (task as { abort?: unknown } | undefined)?.abort;
      if (typeof abort === "function") {
        try {
          (abort as (option?: object) => void).call(task, {});
        } catch {
          // Aborting is best effort; `settled` already silences late callbacks.
        }
      }
    },
  };
}

function lowerCaseHeaders(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined || raw === null) return out;
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

/** The body as text, whatever the host made of it. */
function bodyText(data: unknown): string {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return decodeUtf8(new Uint8Array(data));
  if (data === undefined || data === null) return "";
  // A host that parsed JSON despite `dataType: "text"`: give the text back.
  if (typeof data === "object") return JSON.stringify(data);
  return typeof data === "number" || typeof data === "boolean" ? `${data}` : "";
}

/**
 * Cross-origin headers with the option shape of the `cors` npm package, which socket.io
 * hands its `cors` option to. Applied to every Engine.IO response, errors and preflights
 * included. Off by default (CVE-2020-28481: no cross-origin access unless asked for).
 */

type StaticOrigin = boolean | string | RegExp | ReadonlyArray<boolean | string | RegExp>;
export type CustomOrigin = (
  origin: string | undefined,
  callback: (err: Error | null, origin?: StaticOrigin) => void,
) => void;

/** Same fields and defaults as the `cors` package. */
export interface CorsOptions {
  /** @default "*" */
  origin?: StaticOrigin | CustomOrigin;
  /** @default "GET,HEAD,PUT,PATCH,POST,DELETE" */
  methods?: string | readonly string[];
  /** Defaults to reflecting `Access-Control-Request-Headers`. */
  allowedHeaders?: string | readonly string[];
  exposedHeaders?: string | readonly string[];
  /** @default false */
  credentials?: boolean;
  maxAge?: number;
  /** @default 204 */
  optionsSuccessStatus?: number;
}

function matches(origin: string, allowed: StaticOrigin): boolean {
  if (Array.isArray(allowed)) return allowed.some((a: boolean | string | RegExp) => matches(origin, a));
  if (typeof allowed === "string") return origin === allowed;
  if (allowed instanceof RegExp) return allowed.test(origin);
  return !!allowed;
}

function list(v: string | readonly string[]): string {
  return typeof v === "string" ? v : v.join(",");
}

function originHeaders(origin: string | undefined, allowed: StaticOrigin, out: Record<string, string>): void {
  if (allowed === "*") {
    out["Access-Control-Allow-Origin"] = "*";
    return;
  }
  if (typeof allowed === "string") {
    out["Access-Control-Allow-Origin"] = allowed;
    out["Vary"] = "Origin";
    return;
  }
  if (origin !== undefined && matches(origin, allowed)) out["Access-Control-Allow-Origin"] = origin;
  out["Vary"] = "Origin";
}

/**
 * Computes the CORS headers for one request. `preflight` adds the `OPTIONS` answer's
 * headers. The origin callback may be asynchronous, hence the Promise.
 */
export async function corsHeaders(
  options: CorsOptions,
  origin: string | undefined,
  requestHeaders: string | undefined,
  preflight: boolean,
): Promise<Record<string, string>> {
  let allowed: StaticOrigin;
  const o = options.origin ?? "*";
  if (typeof o === "function") {
    allowed = await new Promise<StaticOrigin>((resolve, reject) =>
      o(origin, (err, value) => (err ? reject(err) : resolve(value ?? false))),
    );
  } else allowed = o;
  const out: Record<string, string> = {};
  if (allowed === false) return out;
  originHeaders(origin, allowed, out);
  if (options.credentials) out["Access-Control-Allow-Credentials"] = "true";
  if (options.exposedHeaders) {
    const exposed = list(options.exposedHeaders);
    if (exposed) out["Access-Control-Expose-Headers"] = exposed;
  }
  if (preflight) {
    out["Access-Control-Allow-Methods"] = list(options.methods ?? "GET,HEAD,PUT,PATCH,POST,DELETE");
    if (options.allowedHeaders !== undefined) {
      const h = list(options.allowedHeaders);
      if (h) out["Access-Control-Allow-Headers"] = h;
    } else {
      // Reflected headers: like the `cors` package, Vary on them even when the request sent none.
      if (requestHeaders) out["Access-Control-Allow-Headers"] = requestHeaders;
      out["Vary"] = out["Vary"] ? out["Vary"] + ", Access-Control-Request-Headers" : "Access-Control-Request-Headers";
    }
    if (typeof options.maxAge === "number") out["Access-Control-Max-Age"] = String(options.maxAge);
  }
  return out;
}

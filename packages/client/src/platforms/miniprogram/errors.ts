/**
 * Mini-program host failures, turned into one error class with a stable `code` and a message
 * that says what to do (miniprogram-platforms §3.2: "works in DevTools, nothing on device").
 * The engine reports them as the `description` of its `"websocket error"` / `"xhr poll error"`
 * `EngineError`, so `connect_error` keeps socket.io-client's message and carries this detail.
 */

/** Stable codes of {@link MiniProgramError}. */
export type MiniProgramErrorCode =
  /** The host refused another socket (per-app cap), or the platform's own `maxSockets` was reached. */
  | "SOCKET_LIMIT"
  /** The URL is not `wss://`/`https://`, which release builds require. */
  | "INSECURE_URL"
  /** The domain is not in the mini program's server-domain whitelist. */
  | "DOMAIN_NOT_ALLOWED"
  /** The app is in the background: the host interrupted or refused the network call. */
  | "SUSPENDED"
  /** The device has no network. */
  | "OFFLINE"
  /** The socket did not report open (or failure) within `openTimeout`. */
  | "OPEN_TIMEOUT"
  /** The host API is missing or returned something unexpected (e.g. no SocketTask). */
  | "UNSUPPORTED_HOST"
  /** Any other host failure; `errMsg` holds the host's text. */
  | "HOST_ERROR";

const HINTS: Readonly<Record<MiniProgramErrorCode, string>> = Object.freeze({
  SOCKET_LIMIT:
    "the host allows no more WebSocket connections (mini programs cap them per app, 5 or fewer; other SDKs use slots too): share one Manager between namespaces and close sockets you no longer need",
  INSECURE_URL: "mini programs require wss:// (and https:// for polling) outside DevTools",
  DOMAIN_NOT_ALLOWED:
    "the server's domain is not in the mini program's server-domain whitelist (add it in the admin console; DevTools skips this check)",
  SUSPENDED: "the app is in the background and the host suspended its network APIs",
  OFFLINE: "the device is offline",
  OPEN_TIMEOUT: "the socket neither opened nor failed in time",
  UNSUPPORTED_HOST: "the host API is missing or did not return a task",
  HOST_ERROR: "the host reported a failure",
});

/**
 * A failure reported by (or detected around) a mini-program host API.
 *
 * @example
 * socket.on("connect_error", (err) => {
 *   if (err.description instanceof MiniProgramError && err.description.code === "DOMAIN_NOT_ALLOWED") showSetupHelp();
 * });
 */
export class MiniProgramError extends Error {
  override readonly name = "MiniProgramError";
  readonly code: MiniProgramErrorCode;
  /** The host's own message (`errMsg` / `errorMessage`), when it gave one. */
  readonly errMsg: string;
  constructor(code: MiniProgramErrorCode, api: string, errMsg = "") {
    super(`${api} failed: ${HINTS[code]}${errMsg ? ` (host said: ${errMsg})` : ""}.`);
    this.code = code;
    this.errMsg = errMsg;
  }
}

const PATTERNS: readonly (readonly [RegExp, MiniProgramErrorCode])[] = [
  [/max|limit|exceed|too many|count|already exist|上限|最大/i, "SOCKET_LIMIT"],
  [/domain|合法域名|white ?list|not in .*list|url not in/i, "DOMAIN_NOT_ALLOWED"],
  [/wss|https|protocol must|must (start|use)/i, "INSECURE_URL"],
  [/suspend|interrupted|background/i, "SUSPENDED"],
  [/offline|no network|network (is )?(down|unavailable)|not ?reachable/i, "OFFLINE"],
];

/** Alipay's numeric error codes that have a meaning here (miniprogram-platforms §1.3). */
const ALIPAY_CODES: Readonly<Record<string, MiniProgramErrorCode>> = Object.freeze({
  "2": "SOCKET_LIMIT",
  "5": "INSECURE_URL",
  "8": "INSECURE_URL",
});

/** Host text of a failure payload, whatever its shape. */
export function failureText(payload: unknown): string {
  if (typeof payload === "string") return payload;
  if (typeof payload !== "object" || payload === null) return "";
  const p = payload as { errMsg?: unknown; errorMessage?: unknown; error?: unknown; message?: unknown };
  const text = p.errMsg ?? p.errorMessage ?? p.message;
  const code = typeof p.error === "number" || typeof p.error === "string" ? `error ${p.error}` : "";
  if (typeof text === "string") return code ? `${text} (${code})` : text;
  return code;
}

/** Classifies a host failure payload into a {@link MiniProgramError}. */
export function hostError(api: string, payload: unknown): MiniProgramError {
  if (payload instanceof MiniProgramError) return payload;
  const text = failureText(payload);
  const numeric = typeof payload === "object" && payload !== null ? (payload as { error?: unknown }).error : undefined;
  const byNumber = typeof numeric === "number" ? ALIPAY_CODES[numeric.toString()] : undefined;
  if (byNumber !== undefined) return new MiniProgramError(byNumber, api, text);
  for (const [pattern, code] of PATTERNS) if (pattern.test(text)) return new MiniProgramError(code, api, text);
  return new MiniProgramError("HOST_ERROR", api, text);
}

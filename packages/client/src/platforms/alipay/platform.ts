/**
 * The Alipay platform (miniprogram-platforms §1.3, §2.2): `my.connectSocket({ multiple: true })`
 * for a SocketTask (nested `{ data: { … } }` payloads and flat ones both read; close without a
 * code becomes 1006), the legacy single global socket where no task comes back, binary as base64
 * text with `isBuffer` (old clients; decoded on receipt only when `isBuffer` says so), and
 * `my.request` with `headers` and `status`/`headers` results. Only an adapter to the `Platform`
 * contract.
 */
import type { Platform } from "../../platform/contract.js";
import type { BinaryMode } from "../miniprogram/binary.js";
import { MiniProgramError } from "../miniprogram/errors.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import { createHostPlatform, type MiniProgramPlatformOptions } from "../miniprogram/platform.js";
import { hasLegacySocket, legacySocketTask, type LegacySocketTask } from "./legacy-socket.js";

declare const my: MiniProgramApi | undefined;

/** Options of {@link createAlipayPlatform}. */
export interface AlipayPlatformOptions extends MiniProgramPlatformOptions {
  /**
   * The host API object.
   * @default the global `my`
   */
  api?: MiniProgramApi;
  /**
   * How binary frames are sent: `"base64"` (text + `isBuffer: true`, understood by every client)
   * or `"arraybuffer"` (clients ≥ 10.5.16 are reported to take it natively).
   * @default "base64"
   */
  binary?: BinaryMode;
  /**
   * Use the legacy global socket even where SocketTask exists (one socket per app).
   * @default false
   */
  legacy?: boolean;
}

/**
 * Creates the Alipay platform.
 *
 * @example
 * import { io } from "@omnio/client/alipay";
 * const socket = io("wss://example.com");
 */
export function createAlipayPlatform(options: AlipayPlatformOptions = {}): Platform {
  const api = options.api ?? (typeof my === "object" ? my : undefined);
  if (api === undefined) throw new MiniProgramError("UNSUPPORTED_HOST", "my.connectSocket", "no `my` API object");
  const legacy = options.legacy === true;
  // Only one global socket exists: a new connection replaces (and ends) the previous one.
  let current: LegacySocketTask | undefined;
  const legacyTask = (): LegacySocketTask | undefined => {
    if (!hasLegacySocket(api)) return undefined;
    current?.detach();
    current = legacySocketTask(api);
    return current;
  };
  return createHostPlatform(
    {
      name: "alipay",
      apiName: "my",
      api,
      headerField: "headers",
      binary: options.binary ?? "base64",
      connectExtras: legacy ? {} : { multiple: true },
      legacyTask,
    },
    legacy ? { ...options, maxSockets: 1 } : options,
  );
}

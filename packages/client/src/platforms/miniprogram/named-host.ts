/**
 * The factory behind the thin WeChat-shaped host folders (`wechat`, `qq`, `baidu`, `bytedance`,
 * `kuaishou`, `jd`): the host's API object comes from the options or from the host's own global
 * name (each host file reads its global itself, so the bundles name only their own host).
 */
import type { Platform } from "../../platform/contract.js";
import { MiniProgramError } from "./errors.js";
import type { MiniProgramApi } from "./host-api.js";
import { createHostPlatform, type MiniProgramPlatformOptions } from "./platform.js";

/** Options of a named host's platform (`createWechatPlatform`, `createQqPlatform`, ...). */
export interface NamedHostPlatformOptions extends MiniProgramPlatformOptions {
  /**
   * The host API object.
   * @default the host's global (`wx`, `qq`, `swan`, `tt`, `ks` or `jd`)
   */
  api?: MiniProgramApi;
}

/** A named host: its platform name, the name of its API object, and that object when present. */
export interface NamedHost {
  name: string;
  apiName: string;
  found: MiniProgramApi | undefined;
}

/** Builds the platform of a named host, failing with UNSUPPORTED_HOST when it has no API object. */
export function createNamedHostPlatform(host: NamedHost, options: NamedHostPlatformOptions): Platform {
  const api = options.api ?? host.found;
  if (api === undefined) {
    throw new MiniProgramError(
      "UNSUPPORTED_HOST",
      `${host.apiName}.connectSocket`,
      `no \`${host.apiName}\` API object`,
    );
  }
  return createHostPlatform({ name: host.name, apiName: host.apiName, api }, options);
}

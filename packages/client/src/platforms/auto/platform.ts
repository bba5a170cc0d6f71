/**
 * The automatic mini-program platform: the host found by {@link detectHost}, or the one named by
 * `host`, built with that host's own platform factory.
 */
import type { Platform } from "../../platform/contract.js";
import { createAlipayPlatform, type AlipayPlatformOptions } from "../alipay/platform.js";
import { createBaiduPlatform } from "../baidu/platform.js";
import { createBytedancePlatform } from "../bytedance/platform.js";
import { createJdPlatform } from "../jd/platform.js";
import { createKuaishouPlatform } from "../kuaishou/platform.js";
import { MiniProgramError } from "../miniprogram/errors.js";
import type { MiniProgramApi } from "../miniprogram/host-api.js";
import type { MiniProgramPlatformOptions } from "../miniprogram/platform.js";
import { createQqPlatform } from "../qq/platform.js";
import { createTaroPlatform } from "../taro/platform.js";
import { createUniappPlatform } from "../uniapp/platform.js";
import { createWechatPlatform } from "../wechat/platform.js";
import { detectHost, hostApi, HOST_ORDER, type HostName } from "./detect.js";

/** Options of {@link createAutoPlatform}. */
export interface AutoPlatformOptions extends MiniProgramPlatformOptions {
  /**
   * Use this host instead of detecting one.
   * @default undefined (detect in {@link HOST_ORDER})
   */
  host?: HostName;
  /**
   * The API object to use with `host` (e.g. Taro's imported object).
   * @default the host's global
   */
  api?: MiniProgramApi;
  /** Alipay only: see {@link AlipayPlatformOptions.binary}. */
  binary?: AlipayPlatformOptions["binary"];
}

const FACTORIES: Readonly<Record<HostName, (options: AutoPlatformOptions & { api: MiniProgramApi }) => Platform>> =
  Object.freeze({
    alipay: createAlipayPlatform,
    bytedance: createBytedancePlatform,
    baidu: createBaiduPlatform,
    qq: createQqPlatform,
    kuaishou: createKuaishouPlatform,
    jd: createJdPlatform,
    wechat: createWechatPlatform,
    uniapp: createUniappPlatform,
    taro: createTaroPlatform,
  });

/**
 * Creates the platform of the mini-program host this code runs in.
 *
 * @example
 * import { io } from "@omnio/client/auto"; // wx, my, tt, swan, qq, ks, jd, uni or Taro
 * const socket = io("wss://example.com");
 */
export function createAutoPlatform(options: AutoPlatformOptions = {}): Platform {
  if (options.host !== undefined && !HOST_ORDER.includes(options.host)) {
    throw new TypeError(`The host option must be one of ${HOST_ORDER.join(", ")}.`);
  }
  const detected =
    options.host !== undefined
      ? { name: options.host, api: options.api ?? hostApi(options.host) }
      : options.api !== undefined
        ? undefined
        : detectHost();
  if (detected === undefined || detected.api === undefined) {
    throw new MiniProgramError(
      "UNSUPPORTED_HOST",
      "connectSocket",
      options.host === undefined
        ? "no mini-program host API found (wx, my, tt, swan, qq, ks, jd, uni, Taro)"
        : `no \`${options.host}\` API`,
    );
  }
  return FACTORIES[detected.name]({ ...options, api: detected.api });
}

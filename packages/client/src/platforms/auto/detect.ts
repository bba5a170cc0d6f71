/**
 * Picks the mini-program host by its API object (miniprogram-platforms §3.2: detect by presence
 * of the host API, in an explicit order, never by the absence of browser globals). Native host
 * objects come before the framework ones, because uni-app and Taro mini-program builds also have
 * the native object and calling it directly avoids the framework layer (§1.7, §1.8). QQ and
 * ByteDance come before WeChat in case a host also aliases `wx`.
 */
import type { MiniProgramApi } from "../miniprogram/host-api.js";

/** The hosts the automatic entry knows, in detection order. */
export type HostName = "alipay" | "bytedance" | "baidu" | "qq" | "kuaishou" | "jd" | "wechat" | "uniapp" | "taro";

declare const my: MiniProgramApi | undefined;
declare const tt: MiniProgramApi | undefined;
declare const swan: MiniProgramApi | undefined;
declare const qq: MiniProgramApi | undefined;
declare const ks: MiniProgramApi | undefined;
declare const jd: MiniProgramApi | undefined;
declare const wx: MiniProgramApi | undefined;
declare const uni: MiniProgramApi | undefined;
declare const Taro: MiniProgramApi | undefined;

/** A detected host: its name and API object. */
export interface DetectedHost {
  name: HostName;
  api: MiniProgramApi;
}

function usable(api: unknown): api is MiniProgramApi {
  return typeof api === "object" && api !== null && typeof (api as MiniProgramApi).connectSocket === "function";
}

/** The global API object of `name`, when this runtime has it. */
export function hostApi(name: HostName): MiniProgramApi | undefined {
  // Each global is read by name with `typeof` (no global-object lookup: Alipay forbids `globalThis`).
  let api: unknown;
  switch (name) {
    case "alipay":
      api = typeof my === "object" ? my : undefined;
      break;
    case "bytedance":
      api = typeof tt === "object" ? tt : undefined;
      break;
    case "baidu":
      api = typeof swan === "object" ? swan : undefined;
      break;
    case "qq":
      api = typeof qq === "object" ? qq : undefined;
      break;
    case "kuaishou":
      api = typeof ks === "object" ? ks : undefined;
      break;
    case "jd":
      api = typeof jd === "object" ? jd : undefined;
      break;
    case "wechat":
      api = typeof wx === "object" ? wx : undefined;
      break;
    case "uniapp":
      api = typeof uni === "object" ? uni : undefined;
      break;
    case "taro":
      api = typeof Taro === "object" ? Taro : undefined;
      break;
  }
  return usable(api) ? api : undefined;
}

/** Detection order. */
export const HOST_ORDER: readonly HostName[] = Object.freeze([
  "alipay",
  "bytedance",
  "baidu",
  "qq",
  "kuaishou",
  "jd",
  "wechat",
  "uniapp",
  "taro",
]);

/** The first host of {@link HOST_ORDER} present in this runtime, or `undefined`. */
export function detectHost(): DetectedHost | undefined {
  for (const name of HOST_ORDER) {
    const api = hostApi(name);
    if (api !== undefined) return { name, api };
  }
  return undefined;
}

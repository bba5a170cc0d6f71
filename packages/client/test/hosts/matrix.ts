/**
 * Every simulated host flavour the platform tests run on, with the platform that adapts it.
 * The client suite (`client-suite.ts`) is parametrised over this table.
 */
import type { Platform } from "@omnio/client";
import { createWechatPlatform } from "@omnio/client/wechat";
import { createQqPlatform } from "@omnio/client/qq";
import { createBaiduPlatform } from "@omnio/client/baidu";
import { createKuaishouPlatform } from "@omnio/client/kuaishou";
import { createJdPlatform } from "@omnio/client/jd";
import { createBytedancePlatform } from "@omnio/client/bytedance";
import { createAlipayPlatform } from "@omnio/client/alipay";
import { createUniappPlatform } from "@omnio/client/uniapp";
import { createTaroPlatform } from "@omnio/client/taro";
import type { MiniProgramApi, MiniProgramPlatformOptions } from "@omnio/client/miniprogram";
import type { SimOptions } from "./sim-state.js";
import {
  createAlipayHost,
  createTaroHost,
  createTtHost,
  createUniHost,
  createWxLikeHost,
  type AlipayOptions,
  type SimHost,
} from "./sim-hosts.js";

/** One host flavour: how to simulate it and how to adapt it. */
export interface HostFlavour {
  /** Short name, used in test titles and file names. */
  name: string;
  create(options?: AlipayOptions): SimHost;
  platform(host: SimHost, options?: MiniProgramPlatformOptions): Platform;
  /** The sim has `onAppShow`/`onAppHide`. */
  appEvents: boolean;
  /** At most this many sockets exist at once on this host (legacy global socket: 1). */
  singleSocket?: boolean;
}

const api = (host: SimHost): MiniProgramApi => host.api as unknown as MiniProgramApi;

export const HOSTS: readonly HostFlavour[] = [
  {
    name: "wx",
    create: (o) => createWxLikeHost(o),
    platform: (h, o) => createWechatPlatform({ ...o, api: api(h) }),
    appEvents: true,
  },
  {
    name: "qq",
    create: (o) => createWxLikeHost(o),
    platform: (h, o) => createQqPlatform({ ...o, api: api(h) }),
    appEvents: true,
  },
  {
    name: "swan",
    create: (o) => createWxLikeHost(o),
    platform: (h, o) => createBaiduPlatform({ ...o, api: api(h) }),
    appEvents: true,
  },
  {
    name: "ks",
    create: (o) => createWxLikeHost(o),
    platform: (h, o) => createKuaishouPlatform({ ...o, api: api(h) }),
    appEvents: true,
  },
  {
    name: "jd",
    create: (o) => createWxLikeHost(o),
    platform: (h, o) => createJdPlatform({ ...o, api: api(h) }),
    appEvents: true,
  },
  {
    name: "tt",
    create: (o) => createTtHost(o),
    platform: (h, o) => createBytedancePlatform({ ...o, api: api(h) }),
    appEvents: true,
  },
  {
    name: "my",
    create: (o) => createAlipayHost(o),
    platform: (h, o) => createAlipayPlatform({ ...o, api: api(h) }),
    appEvents: true,
  },
  {
    name: "my-flat",
    create: (o) => createAlipayHost({ ...o, payload: "flat", binary: "arraybuffer" }),
    platform: (h, o) => createAlipayPlatform({ ...o, api: api(h), binary: "arraybuffer" }),
    appEvents: true,
  },
  {
    name: "my-legacy",
    create: (o) => createAlipayHost({ ...o, legacyOnly: true, httpErrorFails: true }),
    platform: (h, o) => createAlipayPlatform({ ...o, api: api(h) }),
    appEvents: true,
    singleSocket: true,
  },
  {
    name: "uni-mp",
    create: (o) => createUniHost("mp-weixin", o),
    platform: (h, o) => createUniappPlatform({ ...o, api: api(h) }),
    appEvents: true,
  },
  {
    name: "uni-h5",
    create: (o) => createUniHost("h5", o),
    platform: (h, o) => createUniappPlatform({ ...o, api: api(h) }),
    appEvents: false,
  },
  {
    name: "uni-app",
    create: (o) => createUniHost("app", o),
    platform: (h, o) => createUniappPlatform({ ...o, api: api(h) }),
    appEvents: false,
  },
  {
    name: "taro-weapp",
    create: (o) => createTaroHost("weapp", o),
    platform: (h, o) => createTaroPlatform({ ...o, api: api(h) }),
    appEvents: true,
  },
  {
    name: "taro-alipay",
    create: (o) => createTaroHost("alipay", o),
    platform: (h, o) => createTaroPlatform({ ...o, api: api(h) }),
    appEvents: true,
    singleSocket: true,
  },
];

/** The flavour called `name`. */
export function hostFlavour(name: string): HostFlavour {
  const flavour = HOSTS.find((h) => h.name === name);
  if (flavour === undefined) throw new Error(`unknown host flavour ${name}`);
  return flavour;
}

export type { SimOptions };

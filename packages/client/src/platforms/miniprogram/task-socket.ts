/**
 * Adapts a host `SocketTask` (WeChat shape and its variations) to the core's `PlatformSocket`
 * (miniprogram-platforms §1.10):
 * - listeners are registered in the tick the task is created (or, for Taro, when its Promise
 *   resolves, which happens in the host's `success`, before `onOpen`);
 * - a close requested while connecting is deferred until `onOpen` (an early close does not close
 *   on WeChat and leaks one of the app's few sockets), and a close that the host never confirms
 *   frees the slot after `closeTimeout`;
 * - a socket that reports neither open nor failure within `openTimeout` is failed;
 * - the first of error / close / timeout is the only one reported; close codes become numbers
 *   (1006 when absent or not numeric); frames become strings or exact `ArrayBuffer`s.
 */
import type { PlatformSocket, SocketHandlers } from "../../platform/contract.js";
import { encodeBinary, messageData, type BinaryMode } from "./binary.js";
import { hostError, MiniProgramError } from "./errors.js";
import type { HostFailure, HostSocketTask, SocketClosePayload } from "./host-api.js";

/** The host timers the adapter uses. */
export interface HostTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Settings of one {@link TaskSocket}. */
export interface TaskSocketConfig {
  /** The API name used in error messages, e.g. `"wx.connectSocket"`. */
  api: string;
  timers: HostTimers;
  /** Milliseconds to wait for `onOpen` (or a failure) before failing the socket. */
  openTimeout: number;
  /** Milliseconds to wait for `onClose` after closing before the slot is considered free. */
  closeTimeout: number;
  binary: BinaryMode;
  /** Frees this socket's slot in the platform's registry (idempotent). */
  release(): void;
  /**
   * Calls `connectSocket` again for this socket (after a SUSPENDED refusal). Omitted: no retry.
   */
  reconnect?(socket: TaskSocket): void;
  /** Quick retries after the host refused as suspended (right after `onAppShow`). @default 0 */
  suspendRetries?: number;
  /** Milliseconds between those retries. @default 250 */
  suspendRetryDelay?: number;
}

type State = "connecting" | "open" | "closing" | "closed";

/** Close code as a number: numeric strings (tt) are parsed, anything else is 1006. */
export function closeCode(payload: SocketClosePayload | undefined): number {
  const code = payload?.code;
  if (typeof code === "number" && Number.isFinite(code)) return code;
  if (typeof code === "string" && /^\d+$/.test(code)) return Number(code);
  return 1006;
}

/** One host socket behind the `PlatformSocket` contract. */
export class TaskSocket implements PlatformSocket {
  readonly #config: TaskSocketConfig;
  readonly #handlers: SocketHandlers;
  #task: HostSocketTask | undefined;
  #state: State = "connecting";
  /** The core has been told (or no longer wants to hear) how this socket ended. */
  #reported = false;
  #closeWanted = false;
  #openTimer: unknown;
  #closeTimer: unknown;
  #suspendRetries: number;

  constructor(config: TaskSocketConfig, handlers: SocketHandlers) {
    this.#config = config;
    this.#handlers = handlers;
    this.#suspendRetries = config.suspendRetries ?? 0;
    this.#openTimer = config.timers.setTimeout(() => {
      this.#openTimer = undefined;
      if (this.#state !== "connecting") return;
      this.#report(new MiniProgramError("OPEN_TIMEOUT", config.api));
      this.#requestClose();
    }, config.openTimeout);
  }

  /** Registers the listeners on `task` (synchronously after `connectSocket`, or when Taro's Promise resolves). */
  attach(task: HostSocketTask): void {
    if (this.#task !== undefined || this.#state === "closed") return;
    this.#task = task;
    // Listeners of a task given up for a retry stay registered (hosts without `off…`): ignore them.
    task.onOpen(() => this.#task === task && this.#onOpen());
    task.onMessage((payload) => this.#task === task && this.#onMessage(payload));
    task.onError((payload) => this.#task === task && this.#onError(payload));
    task.onClose((payload) => this.#task === task && this.#onClose(payload));
  }

  /** The host's `fail` for `connectSocket` (or a refusal before any task existed). */
  fail(payload: unknown): void {
    const error = hostError(this.#config.api, payload);
    // Right after `onAppShow` WeChat may still refuse as suspended (miniprogram-platforms §3.2,
    // §4.3): retry quickly a few times before the Manager's backoff takes over.
    const reconnect = this.#config.reconnect;
    if (
      error.code === "SUSPENDED" &&
      reconnect !== undefined &&
      this.#suspendRetries > 0 &&
      this.#state === "connecting" &&
      !this.#closeWanted &&
      !this.#reported
    ) {
      this.#suspendRetries--;
      this.#task = undefined;
      this.#config.timers.setTimeout(() => {
        if (this.#state === "connecting" && !this.#closeWanted) reconnect(this);
      }, this.#config.suspendRetryDelay ?? 250);
      return;
    }
    this.#report(error);
    if (this.#task === undefined) this.#finish();
    else this.#requestClose();
  }

  send(data: string | ArrayBuffer): void {
    const task = this.#task;
    if (task === undefined || this.#state !== "open") return;
    const frame = typeof data === "string" ? { data } : encodeBinary(data, this.#config.binary);
    task.send({ ...frame, fail: (payload: HostFailure) => this.#onError(payload) });
  }

  close(_code?: number, _reason?: string): void {
    // The core stops listening once it closes; the host still has to confirm.
    this.#reported = true;
    this.#requestClose();
  }

  #requestClose(): void {
    if (this.#closeWanted || this.#state === "closed") return;
    this.#closeWanted = true;
    this.#armCloseTimer();
    if (this.#state === "open") this.#closeTask();
    // While connecting: `#onOpen` closes it (miniprogram-platforms §1.10 rule 3).
  }

  #closeTask(): void {
    this.#state = "closing";
    try {
      // Always an object (rule 4): WeChat's typing requires one and uni-App threw without.
      this.#task?.close({ code: 1000, reason: "" });
    } catch {
      // Best effort: the slot is freed by onClose or the close timer.
    }
  }

  #armCloseTimer(): void {
    if (this.#closeTimer !== undefined) return;
    this.#closeTimer = this.#config.timers.setTimeout(() => {
      this.#closeTimer = undefined;
      this.#finish();
    }, this.#config.closeTimeout);
  }

  #onOpen(): void {
    if (this.#state !== "connecting") return;
    this.#clearOpenTimer();
    if (this.#closeWanted) return this.#closeTask();
    this.#state = "open";
    if (!this.#reported) this.#handlers.onOpen();
  }

  #onMessage(payload: unknown): void {
    if (this.#reported || this.#state !== "open") return;
    let data: string | ArrayBuffer | undefined;
    try {
      data = messageData(payload);
    } catch (cause) {
      this.#report(cause);
      return this.#requestClose();
    }
    if (data !== undefined) this.#handlers.onMessage(data);
  }

  #onError(payload: unknown): void {
    if (this.#state === "closed") return;
    this.#report(hostError(this.#config.api, payload));
    // Some hosts (uni-app App) report an error and never a close: close (deferred while
    // connecting) and let the close timer free the slot.
    this.#requestClose();
  }

  #onClose(payload: SocketClosePayload | undefined): void {
    if (this.#state === "closed") return;
    const wasReported = this.#reported;
    this.#finish();
    if (!wasReported)
      this.#handlers.onClose(closeCode(payload), typeof payload?.reason === "string" ? payload.reason : "");
  }

  #report(error: unknown): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#handlers.onError(error);
  }

  #clearOpenTimer(): void {
    if (this.#openTimer === undefined) return;
    this.#config.timers.clearTimeout(this.#openTimer);
    this.#openTimer = undefined;
  }

  #finish(): void {
    this.#state = "closed";
    this.#reported = true;
    this.#clearOpenTimer();
    if (this.#closeTimer !== undefined) this.#config.timers.clearTimeout(this.#closeTimer);
    this.#closeTimer = undefined;
    this.#config.release();
  }
}

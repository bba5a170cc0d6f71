/**
 * Outgoing cluster requests waiting for the other nodes' answers: each one resolves when the
 * expected number of answers arrived, or fails at its timeout with a typed error carrying what
 * was collected so far (`partial`).
 */
import { randomBytes } from "node:crypto";
import { RedisAdapterError, requestTimeoutError } from "./errors.js";
import type { WireRequest } from "./wire.js";

type ResponseHandler = (response: WireRequest) => void;

export function newId(): string {
  return randomBytes(8).toString("base64url");
}

export class RequestCollector {
  readonly #pending = new Map<string, { onResponse: ResponseHandler; fail: (err: Error) => void }>();

  /** Routes a response to its request; false when no request waits for it. */
  dispatch(response: WireRequest): boolean {
    const id = response.requestId;
    if (typeof id !== "string") return false;
    const pending = this.#pending.get(id);
    if (!pending) return false;
    pending.onResponse(response);
    return true;
  }

  /**
   * Waits for `expected` answers to request `requestId`; `add` folds each answer into the
   * result, `result` returns it (also the partial one on timeout).
   */
  collect<T>(
    what: string,
    requestId: string,
    expected: number,
    timeoutMs: number,
    add: (response: WireRequest) => void,
    result: () => T,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let received = 0;
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(requestTimeoutError(what, result(), expected, received));
      }, timeoutMs);
      this.#pending.set(requestId, {
        onResponse: (response) => {
          add(response);
          if (++received < expected) return;
          clearTimeout(timer);
          this.#pending.delete(requestId);
          resolve(result());
        },
        fail: (err) => {
          clearTimeout(timer);
          this.#pending.delete(requestId);
          reject(err);
        },
      });
    });
  }

  /** Keeps a handler for `requestId` until `ttlMs` passed (broadcast acks: no fixed count). */
  listen(requestId: string, ttlMs: number, onResponse: ResponseHandler): void {
    const timer = setTimeout(() => this.#pending.delete(requestId), ttlMs);
    this.#pending.set(requestId, {
      onResponse,
      fail: () => {
        clearTimeout(timer);
        this.#pending.delete(requestId);
      },
    });
  }

  /** Fails every pending request (the adapter closes). */
  closeAll(): void {
    for (const p of [...this.#pending.values()]) {
      p.fail(new RedisAdapterError("ADAPTER_CLOSED", "the adapter was closed before the other nodes answered"));
    }
  }
}

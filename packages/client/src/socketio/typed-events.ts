/**
 * Type-level helpers for typed events (socket.io-client 4.x's `DecorateAcknowledgements`,
 * `Last`, `AllButLast`), so `emit`, `emitWithAck` and `timeout()` check event names, arguments
 * and acknowledgement callbacks against the user's `EmitEvents` map. Types only: no runtime code.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- `any` marks untyped maps, as in socket.io-client */

/** True when `T` is `any` (an untyped events map). */
type IsAny<T> = 0 extends 1 & T ? true : false;

/** Turns each function in a parameter list into an error-first callback. */
export type PrependTimeoutError<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer P) => infer R ? (err: Error, ...args: P) => R : T[K];
};

/**
 * The events map as seen after `timeout(ms)`: every acknowledgement callback gets an `Error`
 * first (`ClientError` ACK_TIMEOUT when the timeout passes, `null` on success).
 *
 * @example
 * interface Emit { hello: (n: number, ack: (reply: string) => void) => void }
 * socket.timeout(100).emit("hello", 1, (err, reply) => {}); // err: Error, reply: string
 */
export type DecorateAcknowledgements<E> = {
  [K in keyof E]: E[K] extends (...args: infer P) => infer R ? (...args: PrependTimeoutError<P>) => R : E[K];
};

/** The last element of a tuple (`any` for an untyped list). */
export type Last<T extends any[]> = T extends [...any[], infer L] ? L : any;
/** Every element but the last (`any[]` for an untyped list). */
export type AllButLast<T extends any[]> = T extends [...infer H, any] ? H : any[];

/**
 * What `emitWithAck` resolves with: the acknowledgement's first argument, skipping the `Error`
 * a `timeout()`-decorated callback starts with.
 */
export type AckResult<Ack> =
  IsAny<Ack> extends true
    ? any
    : Ack extends (err: Error, ...args: infer P) => any
      ? P extends [infer First, ...any[]]
        ? First
        : undefined
      : Ack extends (...args: infer P) => any
        ? P extends [infer First, ...any[]]
          ? First
          : undefined
        : never;

/**
 * Type-level helpers for typed events, with the same meaning as socket.io's so that
 * `Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>` code type-checks
 * unchanged. No runtime code lives here.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- listener parameter lists are arbitrary by design */

export interface EventsMap {
  [event: string]: any;
}
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}
export type EventNames<Map extends EventsMap> = keyof Map & string;
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

type IsAny<T> = 0 extends 1 & T ? true : false;

/** The last element type of a tuple. */
export type Last<T extends readonly unknown[]> = T extends readonly [infer Only]
  ? Only
  : T extends readonly [unknown, ...infer Rest]
    ? Last<Rest>
    : T extends ReadonlyArray<infer E>
      ? E
      : never;

/** All elements but the last. */
export type AllButLast<T extends any[]> = T extends [...infer Head, unknown] ? Head : any[];

/** Event names whose signature ends with an acknowledgement callback. */
export type EventNamesWithAck<Map extends EventsMap, K extends EventNames<Map> = EventNames<Map>> =
  IsAny<Last<Parameters<Map[K]>> | Map[K]> extends true
    ? K
    : K extends (
          Parameters<Map[K]> extends never[]
            ? never
            : Last<Parameters<Map[K]>> extends (...args: any[]) => any
              ? K
              : never
        )
      ? K
      : never;

/** Event names without an acknowledgement callback. */
export type EventNamesWithoutAck<Map extends EventsMap, K extends EventNames<Map> = EventNames<Map>> =
  IsAny<Last<Parameters<Map[K]>> | Map[K]> extends true
    ? K
    : K extends (Parameters<Map[K]> extends never[] ? K : never)
      ? K
      : K extends (Last<Parameters<Map[K]>> extends (...args: any[]) => any ? never : K)
        ? K
        : never;

/** Only the events without acknowledgement (what a broadcast without timeout may emit). */
export type RemoveAcknowledgements<E extends EventsMap> = { [K in EventNamesWithoutAck<E>]: E[K] };

/** The first argument of an ack callback that is not the error. */
export type FirstNonErrorArg<T> = T extends (...args: infer P) => any ? (P[0] extends Error ? P[1] : P[0]) : any;

type PrependTimeoutError<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer P) => infer R
    ? P[0] extends Error
      ? T[K]
      : (err: Error, ...args: P) => R
    : T[K];
};

type MultiplyArray<T extends unknown[]> = { [K in keyof T]: T[K][] };
type FirstKeepLabel<T extends any[]> = T extends [any, ...infer R] ? (T extends [...infer H, ...R] ? H : never) : never;
type ExpectMultipleResponses<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer P) => infer R
    ? P extends [Error]
      ? (err: Error) => R
      : P extends [Error, ...infer Rest]
        ? (err: Error, ...args: FirstKeepLabel<MultiplyArray<Rest>>) => R
        : P extends []
          ? () => R
          : (...args: FirstKeepLabel<MultiplyArray<P>>) => R
    : T[K];
};

/** After `timeout()`: acknowledgement callbacks receive an error first. */
export type DecorateAcknowledgements<E> = {
  [K in keyof E]: E[K] extends (...args: infer P) => infer R ? (...args: PrependTimeoutError<P>) => R : E[K];
};
/** Broadcast with `timeout()`: an error first, then one array of responses per argument. */
export type DecorateAcknowledgementsWithTimeoutAndMultipleResponses<E> = {
  [K in keyof E]: E[K] extends (...args: infer P) => infer R
    ? (...args: ExpectMultipleResponses<PrependTimeoutError<P>>) => R
    : E[K];
};
/** Broadcast acks without the error decoration. */
export type DecorateAcknowledgementsWithMultipleResponses<E> = {
  [K in keyof E]: E[K] extends (...args: infer P) => infer R ? (...args: ExpectMultipleResponses<P>) => R : E[K];
};

type FallbackToUntypedListener<T> = [T] extends [never] ? (...args: any[]) => void | Promise<void> : T;
export type ReservedOrUserEventNames<Reserved extends EventsMap, User extends EventsMap> =
  EventNames<Reserved> | EventNames<User>;
export type ReservedOrUserListener<
  Reserved extends EventsMap,
  User extends EventsMap,
  Ev extends ReservedOrUserEventNames<Reserved, User>,
> = FallbackToUntypedListener<
  Ev extends EventNames<Reserved> ? Reserved[Ev] : Ev extends EventNames<User> ? User[Ev] : never
>;

/** Anything that can emit typed events to clients. */
export interface TypedEventBroadcaster<EmitEvents extends EventsMap> {
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean;
}
